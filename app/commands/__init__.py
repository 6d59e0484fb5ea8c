"""Command-line commands (`flask --app app …` from the repository root), one module per subject."""

from __future__ import annotations

from flask import Flask

from .demo import seed_demo
from .people import units_cli, users_cli
from .questionnaire import questionnaire_cli
from .reports import export_cli, report_cli, retention_cli


def register_commands(app: Flask) -> None:
    for command in (units_cli, users_cli, seed_demo, questionnaire_cli, report_cli, export_cli,
                    retention_cli):
        app.cli.add_command(command)
