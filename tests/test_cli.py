"""The command line: ingest, list, show; every command has help and is in the README."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner

from hub.cli import main
from hub.config import PROJECT_DIR
from tests.support.own_data import DATA_DIR


def commands(group: click.Group, prefix: str = "hub"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")


def test_every_command_has_help_and_is_in_the_readme():
    readme = (PROJECT_DIR / "README.md").read_text()
    for name, command in commands(main):
        assert command.help, f"{name} has no help text"
        assert f"`{name}" in readme, f"{name} is not in the README"


def test_ingest_list_show_round_trip(tmp_path, store_url):
    runner = CliRunner()
    home = ["--home", str(tmp_path / "instance")]
    result = runner.invoke(main, [*home, "ingest", str(DATA_DIR / "case_studies")])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    listed = json.loads(runner.invoke(main, [*home, "list", "--json"]).output)
    assert len(listed) == 2
    item = next(i for i in listed if i["title"].startswith("A shared benefits"))
    for field in ("id", "title", "type", "url", "parent", "themes", "places", "organisations",
                  "sources", "outcomes"):
        assert field in item
    assert item["outcomes"][0]["amount_gbp"] == 120000
    shown = json.loads(runner.invoke(main, [*home, "show", str(item["id"]), "--json"]).output)
    assert "Employment advisers" in shown["text"]
    assert {"west-midlands", "coventry"} <= set(shown["places"])


def test_ingest_reports_errors_and_exits_non_zero(tmp_path, store_url):
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(tmp_path / "i"), "ingest",
                                  str(DATA_DIR / "bad_case_studies"),
                                  str(DATA_DIR / "case_studies")])
    assert result.exit_code == 1
    assert "no-title.md: title: missing title" in result.output
    assert "2 new" in result.output


def test_show_unknown_id_is_a_clear_error(tmp_path, store_url):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "i"), "show", "999"])
    assert result.exit_code != 0 and "no item with id 999" in result.output


def test_related_lists_items_with_reasons(tmp_path, store_url):
    runner = CliRunner()
    home = ["--home", str(tmp_path / "instance")]
    ingested = runner.invoke(main, [*home, "ingest", str(DATA_DIR / "related"),
                                    str(DATA_DIR / "case_studies")])
    assert "related model: refitted" in ingested.output
    listed = json.loads(runner.invoke(main, [*home, "list", "--json"]).output)
    hub_id = next(i["id"] for i in listed if i["title"].startswith("A shared benefits"))
    shown = runner.invoke(main, [*home, "related", str(hub_id), "--limit", "2"])
    assert shown.exit_code == 0, shown.output
    assert "An information sharing protocol for family support workers" in shown.output
    assert "also about: data sharing; shared terms: " in shown.output
    as_json = json.loads(runner.invoke(main, [*home, "related", str(hub_id), "--json"]).output)
    # Not 5: the tiniest items have under recommend.model.MIN_TEXT_CHARS of text, or no reason.
    assert len(as_json) == 3 and hub_id not in {r["id"] for r in as_json}
    assert runner.invoke(main, [*home, "related", "999"]).exit_code != 0
    too_many = runner.invoke(main, [*home, "related", str(hub_id), "--limit", "51"])
    assert too_many.exit_code != 0 and "--limit" in too_many.output


def test_ingest_says_when_the_related_model_cannot_be_written(tmp_path, store_url):
    home = tmp_path / "instance"
    home.mkdir()
    (home / "related").write_text("a file where the model folder should be")
    result = CliRunner().invoke(main, ["--home", str(home), "ingest", str(DATA_DIR / "related")])
    assert result.exit_code == 1
    assert "5 new" in result.output
    assert f"error: related model: {home / 'related'}" in result.output
