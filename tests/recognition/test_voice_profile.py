"""The voice profile bound to a model: pulls a segment towards the person's own take only when
it is close to it and clearly closer than to their other commands; leaves anything else alone."""

import dataclasses

import numpy as np

from fixtures.tiny_command_model import POOLED, tiny_model
from voice_coach.recognition.neural.profile import ProfileSettings, VoiceProfile, _hidden


def takes(rng, n=3):
    return rng.standard_normal((n, POOLED)).astype(np.float32) * 3


def test_a_segment_like_a_take_is_pulled_to_its_command():
    model, rng = tiny_model(), np.random.default_rng(0)
    nxt, pause = takes(rng), takes(rng)
    adapter = VoiceProfile("anna", ("next",) * 3 + ("pause",) * 3, np.concatenate([nxt, pause])).prototypes(model)
    segment = nxt[1] + rng.standard_normal(POOLED).astype(np.float32) * 0.05
    base = model.probabilities_pooled(segment[None])[0]
    assert model.labels[int(np.argmax(base))] == "none"
    adjusted = adapter.adjust(segment, base)
    assert model.labels[int(np.argmax(adjusted))] == "next"
    assert adjusted[model.labels.index("next")] >= ProfileSettings().weight  # close and clear: full weight
    np.testing.assert_allclose(adjusted.sum(), 1.0, rtol=1e-5)


def test_a_segment_unlike_every_take_is_left_alone():
    model, rng = tiny_model(), np.random.default_rng(1)
    adapter = VoiceProfile("anna", ("next",) * 3, takes(rng)).prototypes(model)
    other = takes(rng, 1)[0]
    base = model.probabilities_pooled(other[None])[0]
    np.testing.assert_array_equal(adapter.adjust(other, base), base)


def test_between_two_commands_it_does_not_take_sides():
    model, rng = tiny_model(), np.random.default_rng(2)
    a = takes(rng, 1)[0]
    adapter = VoiceProfile("anna", ("next", "pause"), np.stack([a, a])).prototypes(model)
    base = model.probabilities_pooled(a[None])[0]
    np.testing.assert_array_equal(adapter.adjust(a, base), base)


def test_weight_grows_with_closeness_between_near_and_sure():
    model, rng = tiny_model(), np.random.default_rng(3)
    take = takes(rng, 1)[0]
    adapter = VoiceProfile("anna", ("stop",), take[None]).prototypes(model, ProfileSettings(near=0.0, sure=1.0, weight=1.0))
    h_take = _hidden(model, take)[0]
    far = takes(rng, 1)[0]
    closer = 0.5 * take + 0.5 * far
    base_far, base_close = (model.probabilities_pooled(v[None])[0] for v in (far, closer))
    stop = model.labels.index("stop")
    pulled_far = adapter.adjust(far, base_far)[stop] - base_far[stop]
    pulled_close = adapter.adjust(closer, base_close)[stop] - base_close[stop]
    assert float(_hidden(model, closer)[0] @ h_take) > float(_hidden(model, far)[0] @ h_take)
    assert pulled_close > pulled_far >= 0.0


def test_takes_of_commands_the_model_lacks_are_ignored():
    model, rng = tiny_model(), np.random.default_rng(4)
    t = takes(rng, 1)
    adapter = VoiceProfile("anna", ("no_such_command",), t).prototypes(model)
    base = model.probabilities_pooled(t)[0]
    np.testing.assert_array_equal(adapter.adjust(t[0], base), base)


def test_a_profile_survives_a_retrained_model():
    """Stored takes are pooled embeddings, not model activations: any model with the label can use them."""
    rng = np.random.default_rng(5)
    t = takes(rng)
    profile = VoiceProfile("anna", ("next",) * 3, t)
    for seed in (3, 9):
        model = tiny_model(seed=seed)
        segment = t[0]
        adjusted = profile.prototypes(model).adjust(segment, model.probabilities_pooled(segment[None])[0])
        assert model.labels[int(np.argmax(adjusted))] == "next"


def test_agreeing_with_the_models_first_choice_lets_a_less_close_take_count():
    model, rng = tiny_model(none_bias=-4.0), np.random.default_rng(5)  # a command comes first
    take = takes(rng, 1)[0]
    segment = 0.6 * take + 0.4 * takes(rng, 1)[0]
    similarity = float(_hidden(model, segment)[0] @ _hidden(model, take)[0])
    base = model.probabilities_pooled(segment[None])[0]
    first = model.labels[int(np.argmax(base))]
    other = next(label for label in model.labels if label not in (first, "none"))
    assert first != "none"
    # The take is less similar than ``near`` asks: only with ``agree``, and only for the command
    # the model already puts first, does it count.
    strict = ProfileSettings(near=similarity + 0.05, sure=similarity + 0.15, margin=0.01, weight=0.9, agree=0.0)
    lenient = dataclasses.replace(strict, agree=0.1)
    agreeing = VoiceProfile("anna", (first,), take[None])
    np.testing.assert_array_equal(agreeing.prototypes(model, strict).adjust(segment, base), base)
    pulled = agreeing.prototypes(model, lenient).adjust(segment, base)
    assert pulled[model.labels.index(first)] > base[model.labels.index(first)]
    disagreeing = VoiceProfile("anna", (other,), take[None]).prototypes(model, lenient)
    np.testing.assert_array_equal(disagreeing.adjust(segment, base), base)
