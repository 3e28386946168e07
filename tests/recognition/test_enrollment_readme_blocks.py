"""--write-readme puts each engine's enrollment table into its own README block, so writing the
default engine's table leaves the neural one (and the prose around both) as it was."""

from pathlib import Path

from voice_coach.evaluation.enrollment import README, readme_markers, write_block


def test_one_engine_table_replaces_only_its_own_block(tmp_path):
    fused, neural = readme_markers("fused"), readme_markers("neural")
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{fused[0]}\nold fused\n{fused[1]}\nbetween\n{neural[0]}\nold neural\n{neural[1]}\nend\n")
    assert write_block(readme, *fused, "new fused")
    assert readme.read_text() == (f"intro\n{fused[0]}\nnew fused\n{fused[1]}\nbetween\n"
                                  f"{neural[0]}\nold neural\n{neural[1]}\nend\n")


def test_a_missing_block_leaves_the_file_alone_and_says_so(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("no markers here\n")
    assert not write_block(readme, *readme_markers("fused"), "table")
    assert readme.read_text() == "no markers here\n"
    assert "no <!-- enrollment-results-fused:begin -->" in capsys.readouterr().err


def test_the_project_readme_has_a_block_for_each_engine():
    text = Path(README).read_text()
    for engine in ("fused", "neural"):
        begin, end = readme_markers(engine)
        assert text.index(begin) < text.index(end)
