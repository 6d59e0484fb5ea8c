"""The status of the unit plan in the AKPK: the cover's status row, the "DRAF" mark on every page
until the plan is set, and the approval section with the signature block (PP 11/2017 art. 207:
the plan is set by the PPK): place and date, position, room to sign, name, NIP. A draft prints
dotted lines to be filled in by hand; a set plan prints what the approver entered."""
from __future__ import annotations

from flask_babel import gettext as _
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Spacer, Table, TableStyle

from .figures import integer, long_date
from .layout import FRAME_WIDTH, HouseCell
from .plan_data import PlanRef
from .text import KeepText, Text

DOTS = "……………"
BLANK_LINE = "……………………………"
SIGN_WIDTH = 7.5 * cm  # the signature block's column, at the right of the page


def draft_mark() -> str:
    """The word of the watermark and the cover's status."""
    return _("DRAFT")


def status_text(ref: PlanRef) -> str:
    if ref.is_set:
        return _("Set on %(date)s by %(name)s", date=long_date(ref.set_on), name=ref.approver_name)
    return _("%(mark)s: not set yet", mark=draft_mark())


def replaces_text(ref: PlanRef) -> str:
    return _("This plan replaces plan no. %(id)s.", id=integer(ref.replaces_id))


def status_rows(ref: PlanRef) -> list[tuple[str, str]]:
    """Rows of the cover: the plan's status, and which plan a revision replaces."""
    rows = [(_("Plan status"), status_text(ref))]
    if ref.replaces_id is not None:
        rows.append((_("Revision"), replaces_text(ref)))
    return rows


def approval_story(ref: PlanRef, st: dict) -> list:
    """The approval section: a sentence on the status and the signature block."""
    if ref.is_set:
        lead = _("Set by the official authorised to set the unit's competency development plan (PPK) on "
                 "%(date)s. The figures above are those frozen when it was set.", date=long_date(ref.set_on))
    else:
        lead = _("This plan is a draft: it is drawn up by the authorised official (PyB) and is valid once the "
                 "official authorised to set it (PPK) signs below.")
    block = [Text(_("Approval"), st["h1"]), Text(lead, st["body"])]
    if ref.replaces_id is not None:
        block.append(Text(replaces_text(ref), st["body"]))
    block += [Spacer(1, 10), signature_block(ref, st)]
    return [Spacer(1, 8), KeepText(block)]


def signature_block(ref: PlanRef, st: dict) -> Table:
    """Place and date, position, room to sign, name and NIP, in a column at the right."""
    line = ParagraphStyle("signature", st["body"], alignment=TA_LEFT, spaceAfter=0)
    strong = ParagraphStyle("signature_name", st["cell_head"], fontSize=9.5, leading=13)
    if ref.is_set:
        place_date = f"{ref.set_place or DOTS}, {long_date(ref.set_on)}"
        position, name, nip = ref.approver_position or BLANK_LINE, ref.approver_name, ref.approver_nip
    else:
        place_date, position, name, nip = f"{DOTS}, {DOTS}", BLANK_LINE, BLANK_LINE, DOTS
    cells = [Text(place_date, line), Text(position, line), Spacer(1, 1.8 * cm), Text(name, strong),
             Text(f"NIP {nip}", line)]
    block = Table([[Spacer(1, 1), cells]], colWidths=[FRAME_WIDTH - SIGN_WIDTH, SIGN_WIDTH], hAlign="LEFT",
                  cellStyles=[[HouseCell(), HouseCell()]])  # the house font, not ReportLab's Helvetica
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return block
