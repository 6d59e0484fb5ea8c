"""Registers the `flask` commands (run as `flask --app app …` from the repository root)."""

from __future__ import annotations

from flask import Flask

from .commands.demo import seed_demo
from .commands.people import units_cli, users_cli
from .commands.questionnaire import questionnaire_cli
from .commands.reports import export_cli, report_cli, retention_cli


def register(app: Flask) -> None:
    for command in (units_cli, users_cli, seed_demo, questionnaire_cli, report_cli, export_cli,
                    retention_cli):
        app.cli.add_command(command)
