"""What a voice profile buys: each held-out voice enrolls, then is heard with and without its profile.

Enrollment: three clean takes of every core command (the prompted phrase at
slightly different tempos, as a person never says a word twice alike).  Test:
*other* utterances of the same voice — every other phrasing of the core
commands, and the prompted phrase again at a clearly different tempo — in
every noise condition, plus held-out sentences for false commands.  The
embeddings of each test stream are computed once and replayed, so "with" and
"without" hear exactly the same segments.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_coach.enrollment.phrases import CORE_PHRASES, Prompt, core_prompts
from voice_coach.enrollment.takes import NOISY_COPIES, PHASES_S, TakeJudge
from voice_coach.evaluation import corpus
from voice_coach.evaluation.code_digest import recognition_code_digest
from voice_coach.evaluation.corpus import Condition
from voice_coach.evaluation import miss_causes
from voice_coach.evaluation.miss_causes import CauseCounts, Looked, cause, first_choice, true_window
from voice_coach.evaluation.scoring import Outcome, percentile_ms, rate, score_trials
from voice_coach.evaluation.synth import SAMPLE_RATE_HZ, Voice, synthesize
from voice_coach.grammar import Grammar
from voice_coach.intents import Command, Intent
from voice_coach.marked_block import replace_marked_block
from voice_coach.recognition.fused import SHIPPED_TRUST, FusedRecognizer, ProfileTrust
from voice_coach.recognition.neural.features import EMBEDDING_SIZE, EmbeddingStream, load_frontend
from voice_coach.recognition.neural.model import CommandModel, label_of, pool
from voice_coach.recognition.neural.profile import VoiceProfile
from voice_coach.recognition.neural.refit import RefitSettings, fingerprint
from voice_coach.recognition.neural.recognizer import NeuralRecognizer, SegmentStream
from voice_coach.routines.loader import load_library

ENROLL_TEMPOS = (0.96, 1.0, 1.04)
TEST_TEMPOS = (0.88, 1.12)
CHUNK = 480  # 30 ms, like the recognition evaluation
CACHE_VERSION = 2  # bump when the embedding front end changes (v2: primed with a second of quiet room)


def grammar() -> Grammar:
    return Grammar.build(load_library().all())


def as_int16(speech: np.ndarray) -> np.ndarray:
    return np.clip(np.round(corpus.normalized(speech) * 32767), -32768, 32767).astype(np.int16)


def enroll_voice(voice: Voice, cache: Path | None) -> VoiceProfile:
    """The profile a voice gets from three clean takes per core command."""
    judge = TakeJudge(None)
    profile = VoiceProfile(voice.label, (), np.zeros((0, 0), np.float32))
    for prompt in core_prompts(grammar()):
        for tempo in ENROLL_TEMPOS:
            audio = as_int16(synthesize(prompt.text, dataclasses.replace(voice, tempo=tempo), cache))
            verdict = judge.judge(audio, prompt.label)
            if verdict.take is not None:
                profile = profile.with_take(prompt.label, verdict.take.vectors, prompt.text)
    return profile


def test_parts(g: Grammar, prompts: list[Prompt], voice_index: int, sentences: int,
               seed: str, split: str = "held-out") -> list[tuple[float, list[tuple[str, Command | None]]]]:
    """(tempo, items) per test stream: every other phrasing of the core commands with a rotating
    share of the held-out sentences at the enrolled tempo, then the prompted phrases again at a
    clearly different tempo (slower for every other voice, faster for the rest)."""
    labels = {p.label for p in prompts}
    prompted = {p.text for p in prompts}
    others: list[tuple[str, Command | None]] = [
        (text, command) for text, command in sorted(g.utterances(), key=lambda tc: tc[0])
        if label_of(command) in labels and text not in prompted]
    pool = list(corpus.sentences_for(split))
    start = (voice_index * sentences) % len(pool)
    others += [(s, None) for s in (pool + pool)[start : start + sentences]]
    again: list[tuple[str, Command | None]] = [(p.text, g.parse(p.text)) for p in prompts]
    for k, items in enumerate((others, again)):
        random.Random(f"{seed}/{voice_index}/{k}").shuffle(items)
    return [(1.0, others), (TEST_TEMPOS[voice_index % 2], again)]


class _Recording:
    """The real embedding front end, remembering what each call returned."""

    def __init__(self) -> None:
        self.inner = load_frontend()
        self.inner.new_audio_samples = 0  # as EmbeddingStream does: no 8 s warm-up of zeros
        self.outputs: list[list] = []

    def process_streaming(self, data: bytes):
        out = [np.asarray(e, np.float32).reshape(-1)[:EMBEDDING_SIZE] for e in self.inner.process_streaming(data)]
        self.outputs.append(out)
        return out


class Replay:
    """Gives back a recording's outputs call by call (the same chunks arrive in the same order)."""

    def __init__(self, outputs: list[list]) -> None:
        self._outputs = iter(outputs)

    def process_streaming(self, data: bytes):
        return next(self._outputs)


def _save_outputs(path: Path, outputs: list[list]) -> None:
    counts = np.array([len(o) for o in outputs], np.int8)
    rows = [e for o in outputs for e in o]
    vectors = np.stack(rows) if rows else np.zeros((0, EMBEDDING_SIZE), np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, counts=counts, vectors=vectors)
    tmp.replace(path)


def _load_outputs(path: Path) -> list[list] | None:
    if not path.exists():
        return None
    with np.load(path) as data:
        counts, vectors = data["counts"], data["vectors"]
    ends = np.cumsum(counts)
    return [list(vectors[e - c : e]) for c, e in zip(counts, ends)]


@dataclass(frozen=True)
class Choice:
    """One way of listening with a profile: how the last layer is refitted, and (fused engine)
    when the person's takes may vouch for a segment the verifier turned down."""

    refit: RefitSettings = RefitSettings()
    trust: ProfileTrust = ProfileTrust()


def shipped() -> Choice:
    return Choice(RefitSettings(), SHIPPED_TRUST)


@dataclass(frozen=True)
class StreamJob:
    voice: Voice
    voice_index: int
    condition: Condition
    sentences: int
    cache: str
    model_path: str
    profile_vectors: np.ndarray
    profile_labels: tuple[str, ...]
    profile_take_ids: tuple[int, ...]
    settings: tuple[Choice, ...]  # each is measured on the same replayed embeddings
    split: str = "held-out"
    engine: str = "neural"  # or "fused" (the default engine: PocketSphinx + neural + verifier)
    causes: bool = False  # also count where missed commands were lost (fused engine, first Choice)


@dataclass
class StreamOutcome:
    voice: str
    condition: Condition
    before: list[Outcome]
    afters: list[list[Outcome]]  # one list per StreamJob.settings entry (a Choice)
    causes: CauseCounts | None = None

    @property
    def after(self) -> list[Outcome]:
        return self.afters[0]


class _RememberedSphinx:
    """A PocketSphinx judge that decodes each segment once: the with/without passes of one
    stream judge the same segment audio, and its verdict does not depend on the profile."""

    def __init__(self, inner, verdicts: dict) -> None:
        self._inner = inner
        self._verdicts = verdicts

    def judge_segment(self, audio: np.ndarray, *args, **kwargs):
        key = hashlib.sha1(np.ascontiguousarray(audio).tobytes()).digest()
        if key not in self._verdicts:
            self._verdicts[key] = self._inner.judge_segment(audio, *args, **kwargs)
        return self._verdicts[key]


def hear(g: Grammar, model: CommandModel, audio: np.ndarray, frontend, adapter,
         engine: str = "neural", verdicts: dict | None = None, trust: ProfileTrust | None = None,
         **fused_options):
    """What the engine decides on one stream (``adapter``: a bound profile, or None);
    ``fused_options`` go to the FusedRecognizer (verifiers, a candidate log)."""
    stream = SegmentStream(embeddings=EmbeddingStream(frontend=frontend))
    if engine == "fused":
        recognizer = FusedRecognizer(g, model, trust=trust, **fused_options)
        recognizer.neural.profile = adapter
        recognizer.neural.stream = recognizer.stream = stream
        recognizer.sphinx = _RememberedSphinx(recognizer.sphinx, {} if verdicts is None else verdicts)
    else:
        recognizer = NeuralRecognizer(g, model)
        recognizer.profile = adapter
        recognizer.stream = stream
    heard = []
    for start in range(0, audio.size, CHUNK):
        heard += recognizer.accept(audio[start : start + CHUNK])
    return heard + recognizer.flush()


_FITTED: dict = {}


def adapters(profile: VoiceProfile, model: CommandModel, settings: tuple[RefitSettings, ...]) -> list:
    """One bound profile per refit settings entry; entries that differ only in their gate share
    one fit (the gate is applied when listening)."""
    out = []
    voice = hashlib.sha1(np.ascontiguousarray(profile.vectors).tobytes() + repr(profile.labels).encode()).hexdigest()
    for entry in settings:
        key = (voice, fingerprint(model), dataclasses.replace(entry, gate=-1.0))
        if key not in _FITTED:  # a worker hears several streams of one voice
            _FITTED[key] = profile.for_model(model, key[2])
        adapter = copy.copy(_FITTED[key])
        adapter.settings = entry
        out.append(adapter)
    return out


def prepared_streams(job: StreamJob, g: Grammar, model: CommandModel):
    """Per test stream of the job: (audio, trials, embedding outputs to replay, PocketSphinx's
    verdicts, outcomes without a profile, and with ``job.causes`` the candidates judged on the way
    to them, else None).  The caller hears the stream again with the replayed outputs; verdicts
    it adds are kept on disk once it asks for the next stream."""
    for k, (tempo, items) in enumerate(test_parts(g, core_prompts(g), job.voice_index, job.sentences, "enrollment",
                                                      job.split)):
        seed = corpus.stable_seed("enrollment", job.voice.label, job.condition.label, k)
        audio, trials = corpus.build_stream(items, dataclasses.replace(job.voice, tempo=tempo), job.condition,
                                            job.split, seed, Path(job.cache))
        # The embeddings depend only on the audio, not on the model: computed once per stream and kept,
        # so a retrained model (or other profile settings) is measured again in seconds.
        key = hashlib.sha256(audio.tobytes() + bytes([CACHE_VERSION])).hexdigest()[:24]
        saved = Path(job.cache) / "enrollment-embeddings" / f"{key}.npz"
        outputs = _load_outputs(saved)
        verdicts_path = _verdicts_path(Path(job.cache), key)
        verdicts = _load_verdicts(verdicts_path) if job.engine == "fused" else {}
        known = len(verdicts)
        log = [] if job.causes else None
        if outputs is None:
            recording = _Recording()
            before = score_trials(trials, hear(g, model, audio, recording, None, job.engine, verdicts,
                                               candidate_log=log))[0]
            outputs = recording.outputs
            _save_outputs(saved, outputs)
        else:
            before = score_trials(trials, hear(g, model, audio, Replay(outputs), None, job.engine, verdicts,
                                               candidate_log=log))[0]
        yield audio, trials, outputs, verdicts, before, log
        if len(verdicts) > known:
            _save_verdicts(verdicts_path, verdicts)


def job_profile(job: StreamJob) -> VoiceProfile:
    return VoiceProfile(job.voice.label, job.profile_labels, job.profile_vectors, take_ids=job.profile_take_ids)


def run_stream(job: StreamJob) -> StreamOutcome:
    g = grammar()
    model = CommandModel.load(Path(job.model_path) if job.model_path else None)
    bound = adapters(job_profile(job), model, tuple(choice.refit for choice in job.settings))
    before: list[Outcome] = []
    afters: list[list[Outcome]] = [[] for _ in job.settings]
    causes = CauseCounts.empty() if job.causes else None
    for audio, trials, outputs, verdicts, before_part, before_log in prepared_streams(job, g, model):
        before += before_part
        for k, (after, adapter, choice) in enumerate(zip(afters, bound, job.settings)):
            log = [] if causes is not None and k == 0 else None
            after_part = score_trials(trials, hear(g, model, audio, Replay(outputs), adapter, job.engine, verdicts,
                                                   choice.trust, candidate_log=log))[0]
            after += after_part
            if log is not None:
                count_causes(causes.after, trials, after_part, log)
        if causes is not None:
            count_causes(causes.before, trials, before_part, before_log)
            count_true_boundaries(causes, model, audio, trials, outputs, bound[0])
    return StreamOutcome(job.voice.label, job.condition, before, afters, causes)


def count_causes(tally: Counter, trials: list, outcomes: list[Outcome], log: list) -> None:
    """Adds where each command trial of one hearing was lost (``log``: the candidates it judged)."""
    looked = [Looked(segment.at_s, candidate.label) for segment, candidate, _ in log]
    for trial, outcome in zip(trials, outcomes):
        if trial.expected is not None:
            tally[cause(trial, outcome, looked, label_of(trial.expected))] += 1


def count_true_boundaries(counts: CauseCounts, model: CommandModel, audio: np.ndarray, trials: list,
                          outputs: list[list], adapter) -> None:
    """Adds the command trials the neural model's first choice gets right on their true
    boundaries, with the shipped last layer and with the profile's."""
    whole = EmbeddingStream(keep_s=audio.size / SAMPLE_RATE_HZ + 2.0, frontend=Replay(outputs))
    for start in range(0, audio.size, CHUNK):
        whole.accept(audio[start : start + CHUNK])
    for trial in trials:
        if trial.expected is None:
            continue
        window = whole.window(*true_window(trial))
        if window.shape[0] == 0:
            continue
        want, shipped_p = label_of(trial.expected), model.probabilities(window)
        counts.true_before["right"] += first_choice(shipped_p, model.labels) == want
        counts.true_after["right"] += first_choice(adapter.adjust(pool(window), shipped_p), model.labels) == want


def _verdicts_path(cache: Path, key: str) -> Path:
    """PocketSphinx's verdicts on one stream's segments, kept with the engine code they came from."""
    code = recognition_code_digest("sphinx_recognizer.py", "sphinx_rejection.py", "noise_suppression.py", "segmenter.py")
    return cache / "enrollment-sphinx" / f"{key}-{code[:12]}.pkl"


def _load_verdicts(path: Path) -> dict:
    import pickle

    return pickle.loads(path.read_bytes()) if path.exists() else {}


def _save_verdicts(path: Path, verdicts: dict) -> None:
    import pickle

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(verdicts))
    tmp.replace(path)


def enroll_job(args: tuple[Voice, str]) -> VoiceProfile:
    """enroll_voice, kept on disk (pooled takes do not depend on the model)."""
    voice, cache = args[0], Path(args[1])
    path = cache / "enrollment-profiles" / f"{corpus.stable_seed(voice.label, ENROLL_TEMPOS, CORE_PHRASES, PHASES_S, CACHE_VERSION, *NOISY_COPIES)}.npz"
    if path.exists():
        with np.load(path) as data:
            return VoiceProfile(voice.label, tuple(str(x) for x in data["labels"]), data["vectors"],
                                take_ids=tuple(int(i) for i in data["take_ids"]))
    profile = enroll_voice(voice, cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, labels=np.array(profile.labels), vectors=profile.vectors, take_ids=np.array(profile.take_ids))
    return profile


def _counted(results, total: int, what: str) -> list:
    """The results as a list, counting them on stderr as they arrive (long runs show progress)."""
    out = []
    for result in results:
        out.append(result)
        print(f"\r[enrollment] {len(out)}/{total} {what}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return out


def evaluate(voices: tuple[Voice, ...], conditions: tuple[Condition, ...], cache: Path, model_path: str = "",
             sentences: int = 30, jobs: int = 1, settings: tuple[Choice, ...] = (),
             split: str = "held-out", engine: str = "neural", causes: bool = False
             ) -> tuple[list[StreamOutcome], float]:
    """Every (voice, condition) without and with the voice's profile (once per entry of
    ``settings``; default: the shipped settings); also returns the slowest time one profile took
    to bind to the model (the on-device adaptation), in seconds."""
    settings = tuple(settings) or (shipped(),)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        profiles = _counted(pool.map(enroll_job, [(v, str(cache)) for v in voices]), len(voices), "voices enrolled")
        model = CommandModel.load(Path(model_path) if model_path else None)
        adapt_s = max((profile.for_model(model, settings[0].refit).fit_s for profile in profiles), default=0.0)
        stream_jobs = [StreamJob(v, k, c, sentences, str(cache), model_path, p.vectors, p.labels, p.take_ids,
                                 settings, split, engine, causes)
                       for k, (v, p) in enumerate(zip(voices, profiles)) for c in conditions]
        return _counted(pool.map(run_stream, stream_jobs), len(stream_jobs), "streams heard"), adapt_s


def _cell(outcomes: list[Outcome], commands: bool) -> float | None:
    chosen = [o for o in outcomes if o.is_command == commands]
    r = rate(chosen)
    return None if r is None else (r if commands else 1.0 - r)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


LEVELS = ("clean", "10 dB", "5 dB")  # the tables' columns: Condition.level


def table(results: list[StreamOutcome]) -> str:
    """Per voice: commands right (clean, 10 dB, 5 dB) and false commands, without → with the profile."""
    lines = ["| voice | clean | 10 dB | 5 dB | false commands |", "|---|---|---|---|---|"]
    voices = sorted({r.voice for r in results})

    def row(name: str, rs: list[StreamOutcome]) -> str:
        cells = []
        for level in LEVELS:
            at = [r for r in rs if r.condition.level == level]
            b = _cell([o for r in at for o in r.before], True)
            a = _cell([o for r in at for o in r.after], True)
            cells.append(f"{_pct(b)} → {_pct(a)}" if at else "–")
        b = _cell([o for r in rs for o in r.before], False)
        a = _cell([o for r in rs for o in r.after], False)
        n = sum(1 for r in rs for o in r.before if not o.is_command)
        cells.append(f"{_pct(b)} → {_pct(a)} (of {n})")
        return f"| {name} | " + " | ".join(cells) + " |"

    for voice in voices:
        lines.append(row(voice, [r for r in results if r.voice == voice]))
    lines.append(row("**all**", results))
    return "\n".join(lines)


def latency_note(results: list[StreamOutcome], g: Grammar) -> str:
    """How soon commands heard right were decided after their end of speech (audio time), without
    → with the profile: the early look's bar decides how often "stop" waits for the final look."""
    def quantiles(outcomes: list[Outcome], stop: bool) -> str:
        got = [o.latency_s for o in outcomes if o.latency_s is not None and (not stop or _is_stop(g, o))]
        return " / ".join(f"{percentile_ms(got, q):.0f}" for q in (50, 95)) if got else "–"

    before = [o for r in results for o in r.before]
    after = [o for r in results for o in r.after]
    return ("Decided after the end of speech (audio time), p50 / p95, without → with the profile: "
            f"commands {quantiles(before, False)} → {quantiles(after, False)} ms, "
            f"\"stop\" {quantiles(before, True)} → {quantiles(after, True)} ms.")


def _is_stop(g: Grammar, o: Outcome) -> bool:
    return o.is_command and (c := g.parse(o.text)) is not None and c.intent == Intent.STOP


def stop_note(results: list[StreamOutcome], g: Grammar) -> str:
    """"Stop" heard right per level and over every condition, without → with the profile: the
    command that must never be missed, on its own."""
    cells = []
    for level in (*LEVELS, None):
        at = [r for r in results if level is None or r.condition.level == level]
        before = [o for r in at for o in r.before if _is_stop(g, o)]
        after = [o for r in at for o in r.after if _is_stop(g, o)]
        if before:
            cells.append(f"{level or 'all conditions'} {_pct(rate(before))} → {_pct(rate(after))}"
                         + ("" if level else f" (of {len(before)})"))
    return '"Stop" heard right, without → with the profile: ' + ("; ".join(cells) if cells else "–") + "."


def phrasing_note(results: list[StreamOutcome]) -> str:
    """Commands right per level, the enrolled phrasings (said again at another tempo) apart from
    the phrasings never enrolled, without → with the profile: what enrolling one's own words buys."""
    def share(outcomes: list[Outcome], enrolled: bool) -> str:
        return _pct(rate([o for o in outcomes if o.is_command and (o.text in CORE_PHRASES) == enrolled]))

    cells = []
    for level in LEVELS:
        at = [r for r in results if r.condition.level == level]
        if at:
            before, after = [o for r in at for o in r.before], [o for r in at for o in r.after]
            cells.append(f"{level} {share(before, True)} → {share(after, True)} enrolled, "
                         f"{share(before, False)} → {share(after, False)} never enrolled")
    return "Commands right by phrasing, without → with the profile: " + "; ".join(cells) + "."


def errors(results: list[StreamOutcome], limit: int) -> list[str]:
    """Trials the profile got wrong (commands missed, sentences that raised a command)."""
    out = []
    for r in results:
        for before, after in zip(r.before, r.after):
            if not after.correct:
                out.append(f"{r.voice:28s} {r.condition.label:13s} {'CMD' if after.is_command else 'SEN'} "
                           f"{after.text!r}: without {list(before.heard)} with {list(after.heard)}")
    return out[:limit]


# pink noise at 5 dB too: the takes' vouching must also not invent commands where hearing is worst
TUNING_CONDITIONS = (Condition(), Condition("white", 10), Condition("babble", 10), Condition("pink", 5))
TUNE_SENTENCES = 60  # per stream: 375 sentences in all hid a false-command rise that 1200 show


def settings_grid() -> tuple[Choice, ...]:
    """Neural engine: the shipped settings first, then the refit candidates the tuning split
    chooses among."""
    grid = [shipped()]
    for person_weight in (1.0, 3.0, 10.0, 30.0):
        for prior in (1e-4, 1e-3, 1e-2):
            for gate in (-1.0, 0.6, 0.75):
                candidate = Choice(RefitSettings(person_weight=person_weight, prior=prior, gate=gate), SHIPPED_TRUST)
                if candidate not in grid:
                    grid.append(candidate)
    return tuple(grid)


REFIT_ONLY = Choice(RefitSettings(), ProfileTrust())  # the shipped refit, the takes never vouching


def trust_grid() -> tuple[Choice, ...]:
    """Fused engine: the shipped settings first, then how far the person's takes may vouch for a
    segment (the shipped refit throughout; ``ProfileTrust()`` never lets them)."""
    grid = [shipped()]
    trusts = [REFIT_ONLY.trust] + [ProfileTrust(closeness, min_probability, 0.0, min_verifier)
                                 for closeness in (0.75, 0.8, 0.85, 0.9) for min_probability in (0.6, 0.8, 0.95)
                                 for min_verifier in (0.0, 0.4, 0.5, 0.6, 0.7)]
    for trust in trusts:
        if (candidate := Choice(RefitSettings(), trust)) not in grid:
            grid.append(candidate)
    return tuple(grid)


@dataclass(frozen=True)
class GridRow:
    settings: Choice
    commands_right: int
    commands: int
    false_commands: int
    sentences: int


def grid_rows(results: list[StreamOutcome], grid: tuple[Choice, ...]) -> tuple[GridRow, list[GridRow]]:
    """The no-profile baseline and one row per grid entry, summed over every stream."""
    def row(settings, pick) -> GridRow:
        outcomes = [o for r in results for o in pick(r)]
        commands = [o for o in outcomes if o.is_command]
        sentences = [o for o in outcomes if not o.is_command]
        return GridRow(settings, sum(o.correct for o in commands), len(commands),
                       sum(not o.correct for o in sentences), len(sentences))
    baseline = row(None, lambda r: r.before)
    return baseline, [row(st, lambda r, k=k: r.afters[k]) for k, st in enumerate(grid)]


def _caution(choice: Choice) -> tuple[float, ...]:
    """Larger is more cautious: the takes counting less, a stronger pull back, a higher gate,
    and the takes vouching only for closer, surer segments."""
    refit, trust = choice.refit, choice.trust
    return (-refit.person_weight, refit.prior, refit.gate, trust.closeness, trust.min_probability, trust.margin,
            trust.min_verifier)


def choose(baseline: GridRow, rows: list[GridRow], reference: GridRow | None = None) -> GridRow:
    """Most commands right among settings that raise no false command over the baseline (or,
    given a ``reference`` such as the refit with no vouching, over that); on a tie the more
    cautious one."""
    limit = max(baseline.false_commands, reference.false_commands if reference is not None else 0)
    allowed = [r for r in rows if r.false_commands <= limit] or [rows[0]]
    return max(allowed, key=lambda r: (r.commands_right, -r.false_commands, _caution(r.settings)))


def describe(choice: Choice) -> str:
    refit, trust = choice.refit, choice.trust
    vouch = ("takes never vouch" if trust.closeness > 1 else
             f"takes vouch at closeness {trust.closeness:g}, p {trust.min_probability:g}, margin {trust.margin:g}, "
             f"verifier {trust.min_verifier:g}")
    return f"person weight {refit.person_weight:g} prior {refit.prior:g} gate {refit.gate:g}, {vouch}"


def tune(cache: Path, model_path: str, jobs: int, sentences: int, engine: str = "neural") -> str:
    """Fit the profile settings on the tuning split only: every tuning voice enrolls, every grid
    entry is replayed on the same embeddings; returns a report naming the choice.  The neural
    engine tunes the refit, the fused engine when the takes vouch (``trust_grid``)."""
    grid = settings_grid() if engine == "neural" else trust_grid()
    results, _ = evaluate(corpus.TUNING_VOICES, TUNING_CONDITIONS, cache, model_path, sentences=sentences,
                          jobs=jobs, settings=grid, split="tuning", engine=engine)
    baseline, rows = grid_rows(results, grid)
    # The fused engine tunes only the vouching: it may add no false command to the refit's own.
    reference = next((r for r in rows if r.settings == REFIT_ONLY), None) if engine == "fused" else None
    best = choose(baseline, rows, reference)
    lines = [f"tuning split, {engine} engine: {len(corpus.TUNING_VOICES)} voices x "
             f"{', '.join(c.label for c in TUNING_CONDITIONS)}",
             f"without a profile: {baseline.commands_right}/{baseline.commands} commands right, "
             f"{baseline.false_commands}/{baseline.sentences} false commands"]
    for r in sorted(rows, key=lambda r: -r.commands_right):
        mark = "  <- chosen" if r is best else ""
        lines.append(f"{describe(r.settings)}: {r.commands_right}/{r.commands} right, "
                     f"{r.false_commands}/{r.sentences} false{mark}")
    return "\n".join(lines)


README = Path(__file__).resolve().parents[2] / "README.md"
DOCS = README.parent / "docs" / "recognition.md"
CAUSES_BEGIN, CAUSES_END = "<!-- miss-causes:begin -->", "<!-- miss-causes:end -->"


def readme_markers(engine: str) -> tuple[str, str]:
    """Each engine's table has its own block inside the README's enrollment section."""
    return f"<!-- enrollment-results-{engine}:begin -->", f"<!-- enrollment-results-{engine}:end -->"


def write_block(path: Path, begin: str, end: str, shown: str) -> bool:
    """Put ``shown`` between the file's ``begin`` and ``end`` markers; False (file untouched)
    when they are missing."""
    body = replace_marked_block(path.read_text(), begin, end, f"{begin}\n{shown}\n{end}")
    if body is None:
        print(f"{path.name} has no {begin} … {end} block: the table was only printed", file=sys.stderr)
        return False
    path.write_text(body)
    return True


def main(argv: list[str] | None = None) -> int:
    """``scripts/eval_recognition.py --enrollment [--quick] …``: print (and optionally write) the table."""
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="eval_recognition.py --enrollment", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 voices, clean and babble 10 dB, fewer sentences")
    parser.add_argument("--model", default="", help="command model file (default: the shipped one)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sentences", type=int, default=None,
                        help=f"sentences per voice and condition (default 25; with --tune {TUNE_SENTENCES}: a "
                             "false-command budget needs many sentences to be seen at all)")
    parser.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                                                        "voice-coach-eval"))
    parser.add_argument("--voices", type=int, default=0, help="only every k-th held-out voice so that N remain")
    parser.add_argument("--conditions", help="comma-separated condition labels, e.g. clean,babble@10dB")
    parser.add_argument("--show-errors", type=int, default=0, help="print up to N trials wrong with the profile")
    parser.add_argument("--write-readme", action="store_true", help="put the table into README.md")
    parser.add_argument("--engine", choices=("neural", "fused"), default="fused",
                        help="engine heard with and without the profile (default: fused, the default engine)")
    parser.add_argument("--causes", action="store_true",
                        help="also show where missed commands were lost, per condition (fused engine); "
                             "with --write-readme it goes into docs/recognition.md")
    parser.add_argument("--tune", action="store_true",
                        help="fit the profile settings on the tuning split (grid on replayed embeddings): "
                             "with --engine neural the refit, with fused when the takes vouch")
    argv = list(argv or [])
    args = parser.parse_args(argv)
    sentences = args.sentences or (TUNE_SENTENCES if args.tune else 25)
    if args.causes and (args.engine != "fused" or args.tune):
        parser.error("--causes looks at the fused engine's candidates: use it with --engine fused and without --tune")
    if args.tune:
        print(tune(Path(args.cache), args.model, args.jobs, sentences, args.engine), flush=True)
        return 0
    shown = " ".join(filter(None, ("--quick" if args.quick else "", f"--voices {args.voices}" if args.voices else "",
                                   f"--conditions {args.conditions}" if args.conditions else "",
                                   "--causes" if args.causes else "",
                                   f"--sentences {sentences}")))
    voices = corpus.HELD_OUT_VOICES[:1] + corpus.HELD_OUT_VOICES[4:5] if args.quick else corpus.HELD_OUT_VOICES
    if args.voices:
        voices = voices[:: max(1, len(voices) // args.voices)][: args.voices]
    conditions = (Condition(), Condition("babble", 10)) if args.quick else corpus.CONDITIONS
    if args.conditions:
        wanted = {c.strip() for c in args.conditions.split(",")}
        conditions = tuple(c for c in corpus.CONDITIONS if c.label in wanted)
    started = time.monotonic()
    results, adapt_s = evaluate(voices, conditions, Path(args.cache), args.model,
                                sentences=10 if args.quick else sentences, jobs=args.jobs,
                                engine=args.engine, causes=args.causes)
    model = CommandModel.load(Path(args.model) if args.model else None)
    g = grammar()
    text = (table(results) + "\n\n" + latency_note(results, g) + "\n\n" + stop_note(results, g)
            + "\n\n" + phrasing_note(results))
    scope = "quick" if args.quick else "partial" if (args.voices or args.conditions) else "full"
    note = (f"_{scope} run, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
            f"`scripts/eval_recognition.py --enrollment {shown} --engine {args.engine}`, {len(voices)} held-out voices, "
            f"{args.engine} engine, model "
            f"{(args.model and Path(args.model).name) or 'shipped'} (validation {float(model.meta.get('validation_score', 0)):.3f}); "
            f"without → with the voice's profile; adapting took at most {adapt_s:.2f} s CPU here_")
    print(note + "\n\n" + text)
    print(f"# {len(results)} streams in {time.monotonic() - started:.0f} s", flush=True)
    for line in errors(results, args.show_errors):
        print(line)
    if args.write_readme:
        write_block(README, *readme_markers(args.engine), f"{note}\n\n{text}")
    if args.causes:
        shown_causes = causes_text(results, note)
        print("\n" + shown_causes)
        if args.write_readme:
            write_block(DOCS, CAUSES_BEGIN, CAUSES_END, shown_causes)
    return 0


def causes_text(results: list[StreamOutcome], note: str) -> str:
    """The run's note and the per-condition table of where commands were lost."""
    per_condition: dict[Condition, CauseCounts] = {}
    for r in results:
        if r.causes is not None:
            per_condition.setdefault(r.condition, CauseCounts.empty()).add(r.causes)
    return note + "\n\n" + miss_causes.table(per_condition)
