"""The model card beside the shipped model: what it was trained on, how, and how well it does."""

from __future__ import annotations

import json
from pathlib import Path

from voice_coach.evaluation import corpus
from voice_coach.marked_block import marked_block, replace_marked_block
from voice_coach.recognition.neural.model import sha256_of
from voice_coach.training.voices import HELD_OUT_VARIANTS, TRAIN_ACCENTS, TRAIN_VARIANTS

RESULTS_BEGIN, RESULTS_END = "<!-- held-out-results:begin -->", "<!-- held-out-results:end -->"
BANK_BEGIN, BANK_END = "<!-- profile-bank:begin -->", "<!-- profile-bank:end -->"
PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END = "<!-- profile-verifier:begin -->", "<!-- profile-verifier:end -->"
KEPT_BLOCKS = ((BANK_BEGIN, BANK_END), (PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END))  # written by other scripts


def bank_section(bank_path: Path, none_rows: int, command_rows: int, examples: int, shards: int, seed: int) -> str:
    """The card's paragraph on the voice-profile bank (written by scripts/build_profile_bank.py)."""
    return (f"{BANK_BEGIN}\n- **Voice-profile bank:** `{bank_path.name}`, {bank_path.stat().st_size / 1e6:.2f} MB, "
            f"sha256 `{sha256_of(bank_path)}`: {none_rows} \"none\" and {command_rows} command examples (of "
            f"{examples}) from the first {shards} training shards (seed {seed}), as this model's hidden-layer "
            "activations (float16); used only to refit the last layer to one person's enrollment takes "
            "(`neural/refit.py`). Reproduce: `scripts/build_profile_bank.py` (shards cached).\n"
            f"{BANK_END}")


def _per_voice(meta: dict) -> str:
    per_voice = meta.get("false_without_profile_per_voice")
    if not per_voice:
        return ""
    return ", and on each voice its own: " + ", ".join(f"{voice} {n}" for voice, n in per_voice.items())


def profile_verifier_section(path: Path, meta: dict) -> str:
    """The card's paragraph on the verifier used with a voice profile (scripts/fit_verifier.py --profile)."""
    saved = json.loads(path.read_text())
    bars = ""
    if "threshold" in saved:
        early = saved.get("early_threshold")
        bars = (f" (decided at {saved['threshold']}, \"stop\" at {saved['stop_threshold']}"
                + (f", at an early look, before the speaker has finished, at {early}" if early is not None else "")
                + ")")
    return (f"{PROFILE_VERIFIER_BEGIN}\n- **Verifier with a voice profile:** `{path.name}`, sha256 `{sha256_of(path)}`: "
            f"{meta.get('model', 'a classifier')} over the fused engine's candidate features plus the segment's "
            "closeness to the person's takes, fitted on the tuning voices only ("
            f"{', '.join(meta.get('voices', []))}), each enrolled with three clean takes per core command and heard "
            f"in {', '.join(meta.get('conditions', []))} ({meta.get('command_trials')} command trials, "
            f"{meta.get('sentence_trials')} sentences, {meta.get('candidates')} candidates). Thresholds from "
            "leave-one-voice-out probabilities, within the false commands of the engine without a profile on the "
            f"same streams ({meta.get('false_without_profile')}{_per_voice(meta)}): "
            f"{100 * float(meta.get('left_out_voice_right', 0)):.1f} % "
            f"of commands right, {meta.get('left_out_voice_false')} false{bars}. Reproduce: "
            "`scripts/fit_verifier.py --profile` (synthesis and embeddings cached).\n"
            f"{PROFILE_VERIFIER_END}")


def put_bank_section(card: Path, section: str) -> None:
    """Replace (or add, before the results) the bank paragraph of an existing card."""
    put_section(card, BANK_BEGIN, BANK_END, section)


def put_section(card: Path, begin: str, end: str, section: str) -> None:
    """Replace (or add, before the results) one marked paragraph of an existing card."""
    text = card.read_text()
    replaced = replace_marked_block(text, begin, end, section)
    card.write_text(replaced if replaced is not None
                    else text.replace("\n## Held-out results", f"{section}\n\n## Held-out results", 1))


def write_card(model_path: Path, meta: dict, verifier_meta: dict | None = None) -> Path:
    """Write MODEL_CARD.md next to the model, keeping an existing held-out results block."""
    card = model_path.parent / "MODEL_CARD.md"
    old = card.read_text() if card.exists() else ""
    bank = "".join(block + "\n" for begin, end in KEPT_BLOCKS if (block := marked_block(old, begin, end)) is not None)
    results = marked_block(old, RESULTS_BEGIN, RESULTS_END) or (
        f"{RESULTS_BEGIN}\n_not measured yet: run `scripts/eval_recognition.py --write-docs`_\n{RESULTS_END}")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(meta.get("kinds", {}).items()))
    held_out = ", ".join(v.label for v in corpus.HELD_OUT_VOICES)
    tuning = ", ".join(v.label for v in corpus.TUNING_VOICES)
    card.write_text(f"""# Model card: neural command model (`{model_path.name}`)

- **File:** `voice_coach/recognition/neural/data/{model_path.name}`, {model_path.stat().st_size / 1e6:.2f} MB,
  sha256 `{sha256_of(model_path)}`
- **Reproduce:** `pip install -e .[train]` then `scripts/train_command_model.py --max-shards {meta.get("shards", 0)}`
  (seed {meta.get("seed")}; synthesis and shard results cached; {meta.get("train_minutes")} min for this file on the
  2-core build machine while other work ran), then `scripts/fit_verifier.py` for `verifier.json`.
- **What it does:** classifies one whole speech segment (its openWakeWord speech embeddings, from
  `pyopen-wakeword`'s melspectrogram + embedding TFLite models, one 96-value vector per 80 ms) into one of
  {len(meta.get("labels", [])) - 1} command classes (intent + slot of the built-in grammar) or "none". The segment's
  embeddings are pooled (mean, max, spread, four time slices, length) into {meta.get("input_size", "–")} values; an
  MLP with one hidden layer of {meta.get("hidden", "–")} ReLU units; numpy inference, no PyTorch.
- **Data:** {meta.get("examples")} examples from {meta.get("audio_hours")} h of synthesized, augmented audio ({kinds}).
  Commands: every phrasing of the grammar by every training voice, "stop" 3 extra times. Negatives:
  `voice_coach/training/negatives.py` (sentences with command words, padded commands, partial commands, single
  non-command words; kept apart from the evaluation's sentences), every sentence the coach speaks in all routines,
  noise bursts, and segments of sentences/noise that the segmenter cut out ("stray").
- **Training voices:** espeak-ng accents {", ".join(TRAIN_ACCENTS)} × {len(TRAIN_VARIANTS)} variants (sampled, rates
  125–205 wpm, pitch 25–75; never the variants {", ".join(sorted(HELD_OUT_VARIANTS))}), flite slt and kal16, pico
  en-US (each plain, 10 % slower +1.5 semitones, 10 % faster −1.5 semitones), mbrola us1 at 135/165/195 wpm.
  No other synthesizers: the voices reserved for the independent evaluation were never used.
- **Augmentation:** per shard of ~30 utterances one room: clean (25 %) or white, pink, brown noise, babble of 2–6
  talkers saying training sentences, music-like tones, fan/HVAC hum; SNR 0–25 dB; gain ±12 dB; cheap-microphone
  band limits (30 %); per utterance speed ±10 % (50 %), generated room reverberation RT60 0.2–0.9 s (30 %).
- **Tuning split** (verifier and thresholds only): {tuning}.
- **Held-out split** (measurement only): {held_out}.
- **Reproducibility note:** this file was trained with the segmenter of commit a09317a; two later refinements
  (the shortest judged segment no longer counts the pre-roll; talk that ran too long ends at a pause) and the
  front end's second of priming change some training windows slightly, so a rerun gives a close, not
  byte-identical, model. A third (2026-12-03: in a noisy room 0.08 s of speech is enough to be judged, not
  0.15 s) adds short noisy segments that this model never saw in training.
- **Known limits:** synthetic voices only (no real speakers); commands must be said alone; a segment with more
  than 3 s of speech is never a command; routine names outside the built-in routines are not classes (the fused
  engine takes them from PocketSphinx's grammar decode).
{bank}
## Held-out results (`scripts/eval_recognition.py`)

{results}
""")
    return card
