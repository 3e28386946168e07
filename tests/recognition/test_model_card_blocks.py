"""The model card's paragraphs written by other scripts survive a retrained model's new card."""

import json

from voice_coach.training.model_card import (BANK_BEGIN, BANK_END, PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END,
                                             profile_verifier_section, put_section, write_card)


def test_the_profile_verifier_paragraph_is_added_replaced_and_kept(tmp_path):
    model = tmp_path / "command_model.npz"
    model.write_bytes(b"weights")
    card = write_card(model, {"labels": ["none", "stop"]})
    verifier = tmp_path / "verifier_profile.json"
    verifier.write_text(json.dumps({"weights": [1.0]}))
    meta = {"voices": ["v1", "v2"], "conditions": ["clean"], "command_trials": 10, "sentence_trials": 20,
            "candidates": 40, "false_without_profile": 2, "left_out_voice_right": 0.5, "left_out_voice_false": 1}
    put_section(card, PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END, profile_verifier_section(verifier, meta))
    put_section(card, BANK_BEGIN, BANK_END, f"{BANK_BEGIN}\n- bank paragraph\n{BANK_END}")
    text = card.read_text()
    assert "50.0 % of commands right, 1 false" in text and "v1, v2" in text
    assert text.index(PROFILE_VERIFIER_BEGIN) < text.index("## Held-out results")
    meta["left_out_voice_right"] = 0.75
    put_section(card, PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END, profile_verifier_section(verifier, meta))
    text = write_card(model, {"labels": ["none", "stop"]}).read_text()
    assert text.count(PROFILE_VERIFIER_BEGIN) == 1 and "75.0 % of commands right" in text
    assert "- bank paragraph" in text


def test_the_profile_verifier_paragraph_names_its_thresholds_and_an_early_bar_only_when_it_has_one(tmp_path):
    verifier = tmp_path / "verifier_profile.json"
    meta = {"left_out_voice_right": 0.5, "left_out_voice_false": 1}
    verifier.write_text(json.dumps({"threshold": 0.9, "stop_threshold": 0.85}))
    text = profile_verifier_section(verifier, meta)
    assert 'decided at 0.9, "stop" at 0.85)' in text and "early look" not in text
    verifier.write_text(json.dumps({"threshold": 0.9, "stop_threshold": 0.85, "early_threshold": 0.99}))
    assert "at an early look, before the speaker has finished, at 0.99)" in profile_verifier_section(verifier, meta)


def test_the_profile_verifier_paragraph_names_each_voices_own_budget_when_it_had_one(tmp_path):
    verifier = tmp_path / "verifier_profile.json"
    verifier.write_text(json.dumps({"threshold": 0.9, "stop_threshold": 0.85}))
    meta = {"false_without_profile": 3, "left_out_voice_right": 0.5, "left_out_voice_false": 1}
    assert "same streams (3): " in profile_verifier_section(verifier, meta)
    meta["false_without_profile_per_voice"] = {"v1": 1, "v2": 2}
    assert "same streams (3, and on each voice its own: v1 1, v2 2): " in profile_verifier_section(verifier, meta)
