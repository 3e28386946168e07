"""PocketSphinx recognizer: the default engine, no model download needed.

Pipeline per utterance (see docs/recognition.md for the measurements behind it):

1. ``SpeechGate`` finds speech onsets against an adaptive noise floor; the
   decoder sees only speech segments (plus a short pre-roll), so one segment
   is one candidate utterance and a command must be all of it.
2. A JSGF grammar of the whole utterances decodes the segment as it streams.
3. Fast decision: once the partial hypothesis is a complete command that no
   longer command extends (``Grammar.is_final``) and a short silence has
   followed, decide; otherwise wait for the longer end-of-utterance silence.
4. Rejection (``sphinx_rejection``): a grammar accepts almost every sentence,
   so the grammar path is checked against evidence from an unconstrained
   phone-loop decode of the same audio and against duration/coverage limits.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import pocketsphinx

from voice_coach.errors import RecognizerError
from voice_coach.grammar import Grammar
from voice_coach.grammar.sphinx_grammar import SphinxLexicon, jsgf_for_phrases, model_dir
from voice_coach.intents import Command
from voice_coach.recognition.base import Heard
from voice_coach.recognition.endpoint import FRAME_S, FRAME_SAMPLES
from voice_coach.recognition.noise_suppression import NoiseSuppressor, suppression_available
from voice_coach.recognition.sphinx_rejection import Evidence, RejectionPolicy
from voice_coach.recognition.sphinx_vad import SpeechGate, frame_levels_db

_GRAMMAR_SEARCH = "commands"
_PHONE_SEARCH = "phones"
# Decisions are taken on 30 ms steps whatever the caller's chunk size, so
# results do not depend on how the audio was chunked.
_STEP_FRAMES = 3
_NON_PHONES = frozenset({"SIL", "+NSN+", "+SPN+"})  # silence and noise units of the phone loop
DEFAULT_NOISE_SUPPRESSION = 3
DEFAULT_NOISE_FLOOR_DBFS = -60.0


@dataclass(frozen=True)
class SphinxTiming:
    """Segmenting and decision timing (seconds of audio).

    fast_silence_s: silence after a command no longer command extends.
    slow_silence_s: silence after anything else (e.g. "next", which may become "next step").
    preroll_s: audio before the detected onset that is decoded too (weak first consonants).
    max_utterance_s: longer speech is chatter, never a command.
    """

    fast_silence_s: float = 0.25
    slow_silence_s: float = 0.45
    preroll_s: float = 0.25
    max_utterance_s: float = 4.0
    noisy_room_db: float = -50.0  # background above this (dBFS) counts as a noisy room
    drop_db: float = 10.0  # this far below the loud part of the utterance counts as quiet


@dataclass(frozen=True)
class SphinxVerdict:
    """PocketSphinx's judgment of one whole segment.

    command: what the grammar decode parses as (None when it is no command at all);
    accepted / confidence: the rejection policy's verdict on that result.
    """

    text: str
    command: Command | None
    evidence: Evidence | None
    accepted: bool
    confidence: float


@dataclass
class _Utterance:
    """Audio of the current candidate utterance, frame by frame (10 ms)."""

    frames: list[np.ndarray] = field(default_factory=list)
    levels: list[float] = field(default_factory=list)  # smoothed dBFS per frame
    silent: list[bool] = field(default_factory=list)  # below the noise floor + margin
    fed: int = 0  # frames already given to the decoder
    suppressed: bool = False  # decoding noise-suppressed audio
    noisy: bool = False  # the room was noisy at the onset
    silence_run: int = 0  # consecutive silent frames at the end


class SphinxRecognizer:
    """Streaming PocketSphinx command recognizer (see module docstring)."""

    name = "sphinx"

    def __init__(
        self,
        grammar: Grammar,
        *,
        timing: SphinxTiming | None = None,
        policy: RejectionPolicy | None = None,
        gate: SpeechGate | None = None,
        evidence_log: list[tuple[float, Evidence, bool]] | None = None,
        noise_suppression: int = DEFAULT_NOISE_SUPPRESSION,
        noise_floor_dbfs: float | None = DEFAULT_NOISE_FLOOR_DBFS,
    ) -> None:
        self.grammar = grammar
        # WebRTC suppression level 0 (off) … 4; silently off when the package is missing.
        self._suppressor = (NoiseSuppressor(noise_suppression)
                            if noise_suppression > 0 and suppression_available() else None)
        self.timing = timing or SphinxTiming()
        self.policy = policy if policy is not None else RejectionPolicy.default()
        self._gate = gate or SpeechGate()
        self._raw_gate = SpeechGate()  # noise level of the unsuppressed input
        utterances = [text for text, _ in grammar.utterances()]
        self.lexicon = SphinxLexicon.for_words(grammar.words())
        self._decoder = _make_decoder(self.lexicon, jsgf_for_phrases(utterances))
        self._logmath = self._decoder.get_logmath()
        self._pending = np.zeros(0, np.int16)
        # A steady noise floor added to the input, like a microphone's own
        # noise.  Synthetic and digitally processed audio has exact-zero
        # stretches (pauses, stop-consonant closures); the acoustic model never
        # saw those and decodes such speech far worse (docs/recognition.md:
        # espeak voices 46-118 of 149 commands right without, 92-141 with a
        # -60 dBFS floor).  Real rooms are already noisier, so it changes
        # nothing there.  Fixed seed: same audio, same result.
        self._floor_rng = np.random.default_rng(0) if noise_floor_dbfs is not None else None
        self._floor_rms = 32768.0 * 10.0 ** ((noise_floor_dbfs or 0.0) / 20.0)
        # Cepstral mean carried from one utterance to the next (see _finish).
        self._cmn: list[float] | None = None
        self._frames_seen = 0  # 10 ms frames consumed since construction
        self._preroll: deque[tuple[np.ndarray, np.ndarray, float, bool]] = deque(
            maxlen=max(1, round(self.timing.preroll_s / FRAME_S)))
        self._utt: _Utterance | None = None
        self.last_evidence: Evidence | None = None  # for evaluation and debugging
        # When given, every judged grammar result is appended as (at_s, evidence, accepted):
        # the evaluation harness tunes the rejection policy from these.
        self.evidence_log = evidence_log

    # ---- Recognizer protocol ---------------------------------------------------
    def accept(self, samples: np.ndarray) -> list[Heard]:
        samples = np.asarray(samples)
        if samples.dtype != np.int16:
            raise RecognizerError(f"audio samples must be int16, got {samples.dtype}",
                                  "convert to 16-bit PCM before feeding the recognizer")
        samples = samples.reshape(-1)
        if self._pending.size:
            samples = np.concatenate([self._pending, samples])
        step = FRAME_SAMPLES * _STEP_FRAMES
        usable = samples.size - samples.size % step
        heard: list[Heard] = []
        for start in range(0, usable, step):
            result = self._step(samples[start : start + step])
            if result is not None:
                heard.append(result)
        self._pending = samples[usable:].copy()
        return heard

    def flush(self) -> list[Heard]:
        heard: list[Heard] = []
        if self._pending.size:
            padded = np.zeros(FRAME_SAMPLES * _STEP_FRAMES, np.int16)
            padded[: self._pending.size] = self._pending
            self._pending = np.zeros(0, np.int16)
            result = self._step(padded)
            if result is not None:
                heard.append(result)
        if self._utt is not None:
            result = self._finish()
            if result is not None:
                heard.append(result)
        return heard

    def reset(self) -> None:
        if self._utt is not None:
            self._decoder.end_utt()
        self._utt = None
        self._pending = np.zeros(0, np.int16)
        self._preroll.clear()
        self._gate.clear_onset()

    # ---- internals ---------------------------------------------------------------
    @property
    def position_s(self) -> float:
        return self._frames_seen * FRAME_S

    def _step(self, block: np.ndarray) -> Heard | None:
        if self._floor_rng is not None:
            floor = self._floor_rng.standard_normal(block.size) * self._floor_rms
            block = np.clip(np.rint(block + floor), -32768, 32767).astype(np.int16)
        raw = block
        if self._suppressor is not None:
            # The suppressor runs all the time so its noise estimate stays current;
            # its output is decoded only in a noisy room (see _start_utterance).
            block = self._suppressor.process(block)
            for level in frame_levels_db(raw):
                self._raw_gate.observe(float(level), background=self._utt is None)
        levels = frame_levels_db(block)
        frames = block.reshape(-1, FRAME_SAMPLES)
        raw_frames = raw.reshape(-1, FRAME_SAMPLES)
        for frame, raw_frame, level in zip(frames, raw_frames, levels):
            self._frames_seen += 1
            utt = self._utt
            onset, silent, level = self._gate.observe(float(level), background=utt is None)
            if utt is None:
                self._preroll.append((frame, raw_frame, level, silent))
                if onset:
                    self._start_utterance()
                continue
            utt.frames.append(frame if utt.suppressed else raw_frame)
            utt.levels.append(level)
            utt.silent.append(silent)
            utt.silence_run = utt.silence_run + 1 if silent else 0
        utt = self._utt
        if utt is None:
            return None
        if utt.fed < len(utt.frames):
            self._decoder.process_raw(np.concatenate(utt.frames[utt.fed :]).tobytes(), False, False)
            utt.fed = len(utt.frames)
        return self._maybe_decide(utt)

    def _start_utterance(self) -> None:
        # Suppression blurs clean speech (measured: fewer commands right in quiet
        # rooms) but helps a lot in steady noise, so decode suppressed audio only
        # when the room is noisy.
        room_db = self._raw_gate.noise_db if self._suppressor is not None else self._gate.noise_db
        noisy = room_db > self.timing.noisy_room_db
        utt = _Utterance(suppressed=noisy and self._suppressor is not None, noisy=noisy)
        for frame, raw_frame, level, silent in self._preroll:
            utt.frames.append(frame if utt.suppressed else raw_frame)
            utt.levels.append(level)
            utt.silent.append(silent)
        self._preroll.clear()
        self._utt = utt
        if self._cmn is not None:
            self._decoder.set_cmn(_cmn_text(self._cmn))
        self._decoder.start_utt()

    def _maybe_decide(self, utt: _Utterance) -> Heard | None:
        if len(utt.frames) * FRAME_S > self.timing.max_utterance_s:
            # Speech this long is talk (or noise), not a command: drop it, let the
            # noise estimate learn from it, and listen afresh.
            self._decoder.end_utt()
            self._utt = None
            self._gate.absorb(utt.levels)
            self._gate.clear_onset()
            return None
        hyp = self._decoder.hyp()
        text = hyp.hypstr if hyp is not None else ""
        if text and self.grammar.parse(text) is not None:
            needed_s = self.timing.fast_silence_s if self.grammar.is_final(text) else self.timing.slow_silence_s
            if self._quiet_tail(utt, round(needed_s / FRAME_S)):
                return self._finish()
        # End of utterance: silence, or in a noisy room (where frames rarely
        # fall below the noise margin) a level drop well below the loud part.
        # Without the drop test a command said over noise ran on until
        # max_utterance_s and was dropped unheard.  Quiet rooms keep the strict
        # silence test: there the drop test split sentences at short pauses
        # into command-like fragments ("wait | here for a moment").
        slow = round(self.timing.slow_silence_s / FRAME_S)
        if utt.silence_run >= slow or (utt.noisy and self._quiet_tail(utt, slow)):
            return self._finish()
        return None

    def _quiet_tail(self, utt: _Utterance, needed: int) -> bool:
        """Whether the last ``needed`` frames are quiet after louder speech.

        Quiet means all below the noise margin, or on average ``drop_db``
        below the loud part (80th percentile) of what came before: in babble
        the noise margin alone would almost never see silence.  The decoder's
        own word boundaries are not used: a partial hypothesis keeps
        stretching its last word until its silence model wins, much later.
        """
        levels = utt.levels
        if needed <= 0 or len(levels) < needed + 10:
            return False
        if all(utt.silent[-needed:]):
            return True
        tail = levels[-needed:]
        mean_db = 10.0 * math.log10(sum(10.0 ** (x / 10.0) for x in tail) / len(tail))
        return mean_db < float(np.percentile(levels[:-needed], 80)) - self.timing.drop_db

    def _finish(self) -> Heard | None:
        utt = self._utt
        assert utt is not None
        self._utt = None
        self._preroll.clear()
        self._gate.clear_onset()
        self._decoder.end_utt()
        verdict = self.judge_segment(np.concatenate(utt.frames), utt.silent, add_floor=False)
        if verdict.command is None:
            return None
        if self.evidence_log is not None:
            self.evidence_log.append((round(self.position_s, 3), verdict.evidence, verdict.accepted))
        if not verdict.accepted:
            return None
        return Heard(command=verdict.command, at_s=round(self.position_s, 3), text=verdict.text,
                     confidence=round(verdict.confidence, 3))

    def judge_segment(self, audio: np.ndarray, silent: list[bool] | None = None, *,
                      add_floor: bool = True) -> SphinxVerdict:
        """Decode one whole segment (int16) and judge it with the rejection policy.

        Used by the streaming path at the end of each utterance and by the fused
        engine, which segments the stream itself.  ``silent``: per 10 ms frame,
        whether it is below the noise margin (measured here when not given).
        """
        if add_floor and self._floor_rng is not None:
            floor = self._floor_rng.standard_normal(audio.size) * self._floor_rms
            audio = np.clip(np.rint(audio + floor), -32768, 32767).astype(np.int16)
        if silent is None:
            levels = frame_levels_db(audio)
            quiet = float(np.percentile(levels, 10)) if levels.size else -90.0
            silent = [bool(x < quiet + self._gate.silence_db + 6.0) for x in levels]
        # The model normalizes by the cepstral mean, which it otherwise learns
        # only slowly across utterances, starting from a generic value far from
        # a real microphone's; a fresh recognizer (one per file in `transcribe`)
        # decoded its first commands badly.  The phone-loop decode runs over
        # the whole segment, so it yields this utterance's own mean: the
        # grammar is decoded again from that mean (measured per file, tuning
        # split, no rejection: clean 84 -> 89 %, white 10 dB 41 -> 54 %), and
        # the next utterance starts from the running mean.
        phone_score, phones = self._phone_decode(audio)
        segment_cmn = [float(x) for x in self._decoder.get_cmn(False).split(",") if x.strip()]
        self._cmn = segment_cmn if self._cmn is None else [
            (a + b) / 2.0 for a, b in zip(segment_cmn, self._cmn)]
        self._decoder.set_cmn(_cmn_text(segment_cmn))
        self._decoder.start_utt()
        self._decoder.process_raw(audio.tobytes(), False, False)
        self._decoder.end_utt()
        text, words, grammar_score = self._grammar_result()
        command = self.grammar.parse(text) if text else None
        if command is None:
            self.last_evidence = None
            return SphinxVerdict(text, None, None, False, 0.0)
        evidence = Evidence.collect(
            text=text,
            words=words,
            grammar_score=grammar_score,
            phone_score=phone_score,
            phones=phones,
            lexicon=self.lexicon,
            silent=silent,
        )
        self.last_evidence = evidence
        accepted, confidence = self.policy.judge(evidence)
        return SphinxVerdict(text, command, evidence, accepted, confidence)

    def _grammar_result(self) -> tuple[str, list[tuple[str, int, int]], float]:
        """Text, word segments and path score of the decode that just ended."""
        hyp = self._decoder.hyp()
        if hyp is None:
            return "", [], float("-inf")
        words = [(s.word, s.start_frame, s.end_frame) for s in self._decoder.seg()]
        return hyp.hypstr, words, self._raw_score(hyp)

    def _raw_score(self, hyp: pocketsphinx.Hypothesis | None) -> float:
        """Path score in the decoder's integer log domain.

        The Python binding hands scores out as probabilities (exp of the log
        score); comparing those directly loses everything, so map them back.
        """
        if hyp is None or hyp.score <= 0.0:
            return float("-inf")
        return float(self._logmath.log(hyp.score))

    def _phone_decode(self, audio: np.ndarray) -> tuple[float, list[tuple[str, int, int]]]:
        """Unconstrained phone-loop decode of the same audio: the competitor.

        Returns its path score and (phone, start, end) for every non-silence phone.
        Decoded as a whole utterance, so the decoder's cepstral mean afterwards
        is this audio's own.
        """
        decoder = self._decoder
        decoder.activate_search(_PHONE_SEARCH)
        try:
            decoder.start_utt()
            decoder.process_raw(audio.tobytes(), False, True)
            decoder.end_utt()
            hyp = decoder.hyp()
            phones = [(s.word, s.start_frame, s.end_frame) for s in decoder.seg()
                      if s.word not in _NON_PHONES] if hyp else []
        finally:
            decoder.activate_search(_GRAMMAR_SEARCH)
        return self._raw_score(hyp), phones


def _cmn_text(mean: list[float]) -> str:
    return ",".join(f"{x:.4f}" for x in mean)


def _make_decoder(lexicon: SphinxLexicon, jsgf: str) -> pocketsphinx.Decoder:
    model = model_dir()
    fd, dict_path = tempfile.mkstemp(prefix="voice-coach-", suffix=".dict")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(lexicon.dictionary_text())
        config = pocketsphinx.Config(
            hmm=str(model / "en-us"),
            dict=dict_path,
            lm=None,
            loglevel="FATAL",
            beam=1e-40,
            pbeam=1e-40,
            wbeam=1e-30,
        )
        decoder = pocketsphinx.Decoder(config)
        decoder.add_jsgf_string(_GRAMMAR_SEARCH, jsgf)
        # A uniform phone loop (no phone LM): the LM's per-phone penalties made
        # the loop's score depend on speaking style more than on fit.
        decoder.add_allphone_file(_PHONE_SEARCH, None)
        decoder.activate_search(_GRAMMAR_SEARCH)
    except RuntimeError as err:
        raise RecognizerError(f"PocketSphinx could not load its model or grammar: {err}",
                              "reinstall the pocketsphinx package (pip install --force-reinstall pocketsphinx)") from err
    finally:
        os.unlink(dict_path)
    return decoder
