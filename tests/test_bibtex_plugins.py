"""tally.sphinx registers the bibliography plugins once per build: every lookup a citation makes
then finds the same class its entry point names, without scanning the installed packages."""

from __future__ import annotations

from types import SimpleNamespace

import pybtex.plugin
import pytest
import sphinxcontrib.bibtex.plugin as bibtex_plugin

from tally import sphinx as tally_sphinx

CONFIG = SimpleNamespace(
    bibtex_default_style="plain", bibtex_reference_style="author_year", bibtex_foot_reference_style="foot"
)


def test_lookups_after_registration_give_the_entry_points_classes_without_a_scan(monkeypatch):
    pybtex_plugins, referencing = tally_sphinx._bibtex_plugins(CONFIG)
    before = {(g, n): pybtex.plugin.find_plugin(g, n) for g, n in pybtex_plugins}
    before_ref = {(g, n): bibtex_plugin.find_plugin(g, n) for g, n in referencing}
    tally_sphinx._register_bibtex_plugins(SimpleNamespace(extensions={"sphinxcontrib.bibtex": None}), CONFIG)

    def no_scan(*args, **kwargs):
        raise AssertionError("an entry-point scan after registration")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    monkeypatch.setattr(bibtex_plugin, "_entry_points", no_scan)
    for (group, name), klass in before.items():
        assert pybtex.plugin.find_plugin(group, name) is klass
    for (group, name), klass in before_ref.items():
        assert bibtex_plugin.find_plugin(group, name) is klass
    # What a citation does: a formatting style, which looks up its name, label and sorting styles.
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", CONFIG.bibtex_default_style)()
    assert style.format_labels is not None


def test_the_books_styles_are_the_ones_registered():
    import yaml

    from tally.notebooks import ROOT

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    pybtex_plugins, referencing = tally_sphinx._bibtex_plugins(SimpleNamespace(**CONFIG.__dict__ | config))
    assert ("pybtex.style.formatting", config["bibtex_default_style"]) in pybtex_plugins
    assert ("sphinxcontrib.bibtex.style.referencing", config["bibtex_reference_style"]) in referencing


@pytest.mark.parametrize("missing", ["sphinxcontrib.bibtex"])
def test_nothing_is_registered_without_the_bibtex_extension(missing, monkeypatch):
    monkeypatch.setattr(pybtex.plugin, "register_plugin", lambda *a, **k: pytest.fail("registered"))
    tally_sphinx._register_bibtex_plugins(SimpleNamespace(extensions={}), CONFIG)
