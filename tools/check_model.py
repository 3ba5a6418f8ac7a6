#!/usr/bin/env python3
"""Check a vaelab run without vaelab: recompute its test ELBO, Rec and KL from model.npz with NumPy alone.

    python3 tools/check_model.py reports/quickstart/runs/beta-1-seed1

Reads the run's model.npz (weights), provenance.json (architecture, data set, binarisation, testLimit) and
metrics.csv (the numbers vaelab reported), loads the same test images from the IDX files, runs the encoder and
decoder as documented in README.md ("Model files"), and prints each metric beside the run's value with the
difference and a tolerance. Needs Python 3.8+ and NumPy, nothing else (Debian: apt-get install -y python3-numpy,
then run it with /usr/bin/python3).

What is compared, and how close it must be:
  * posterior.csv.gz, when present: the run's μ and log σ² per test image. Deterministic, so they agree to
    float32 arithmetic (the run computed in float32, this script in float64; the file keeps 7 digits).
  * KL (model/kl): analytic from μ and log σ², no noise; tolerance 1e-4·max(1, |KL|) for float32 arithmetic.
  * Rec (model/rec): one posterior sample per image, as the run did, but with fresh noise (Java's Gaussian
    stream is not reproduced), so the two means differ by Monte-Carlo noise. Tolerance: 4 standard errors of
    that difference. Both estimates use the same images, so only the noise differs; a second sample per
    image estimates it: SE = sqrt(sum_i (r1_i - r2_i)^2) / n, since E[(r1_i - r2_i)^2] = 2·Var_eps(Rec | x_i)
    is exactly the variance of one image's term in the difference of the two estimates. The spread of Rec
    across images would be much larger (it includes how images differ, which is common to both) and would
    hide real mismatches. At 4 SE a correct model fails about once in 16,000 checks.
  * ELBO (model/elbo) = -(Rec + KL): tolerance = the sum of both.

Exit code 0 if everything agrees, 1 if a number is outside its tolerance, 2 if an input is missing or bad.
"""

import argparse
import csv
import gzip
import hashlib
import json
import math
import sys
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
# org.vaelab.data.Binarization.STATIC_SEED: the test set of a binarised run is binarised once with it.
STATIC_SEED = 20_110_101
SIGMA_UNITS = 4.0
KL_RELATIVE = 1e-4
POSTERIOR_RELATIVE = 1e-4


class CheckError(Exception):
    """A missing or malformed input; the message says which and what was expected."""


# ---------------------------------------------------------------------------------------------- Java's RNG

MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def _mix32(z):
    z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
    return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64) >> 32


class SplittableRandom:
    """java.util.SplittableRandom(seed) of Java 17, the calls vaelab's binarisation makes.

    A SplitMix64 generator: the state advances by the golden gamma 0x9e3779b97f4a7c15 (mod 2^64) per draw and
    each output mixes the new state. nextLong() = mix64(state); nextInt() = the high 32 bits of Stafford's
    variant-4 mix (mix32); nextFloat() is RandomGenerator's default, (nextInt() >>> 8) · 2^-24, i.e. the top
    24 bits of mix32 (not of mix64). Checked against Java's output by the project's tests.
    """

    def __init__(self, seed):
        self.seed = seed & MASK64

    def _next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK64
        return self.seed

    def next_long(self):
        v = _mix64(self._next_seed())
        return v - (1 << 64) if v >> 63 else v

    def next_int(self):
        v = _mix32(self._next_seed())
        return v - (1 << 32) if v >> 31 else v

    def next_float(self):
        return ((self.next_int() & 0xFFFFFFFF) >> 8) * 2.0 ** -24


def next_floats(seed, n):
    """The first n values of SplittableRandom(seed).nextFloat(), as float32, vectorised (same as the class)."""
    u = np.uint64
    with np.errstate(over="ignore"):
        z = np.arange(1, n + 1, dtype=np.uint64) * u(GOLDEN_GAMMA) + u(seed & MASK64)
        z = (z ^ (z >> u(33))) * u(0x62A9D9ED799705F5)
        z = (z ^ (z >> u(28))) * u(0xCB24D0A5C88C35B3)
    # (int)(z >>> 32) >>> 8 == z >>> 40: the top 24 bits.
    return (z >> u(40)).astype(np.float32) * np.float32(2.0 ** -24)


# ---------------------------------------------------------------------------------------------- test data

def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_idx(path, magic):
    """An IDX file of unsigned bytes (gzip or plain): the array with the header's dimensions."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise CheckError(f"{path}: IDX magic 0x{found:08x}, expected 0x{magic:08x}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise CheckError(f"{path}: header declares {dims} but {body.size} bytes follow")
    return body.reshape(dims)


def load_test_set(dataset, repo, fashion_dir):
    """(images as uint8 n×784, source hash) of a data set's test split, in vaelab's order (DataSources)."""
    if dataset == "fashion-mnist":
        images_file, labels_file = fashion_dir / "t10k-images-idx3-ubyte.gz", fashion_dir / "t10k-labels-idx1-ubyte.gz"
    elif dataset == "mnist-digits":
        d = repo / "data" / "mnist-digits"
        images_file, labels_file = d / "images-idx3-ubyte.gz", d / "labels-idx1-ubyte.gz"
    else:
        raise CheckError(f"unknown dataset '{dataset}' in provenance.json; known: fashion-mnist, mnist-digits")
    for f in (images_file, labels_file):
        if not f.is_file():
            hint = "apt-get install -y dataset-fashion-mnist, or --fashion-dir DIR" if dataset == "fashion-mnist" \
                else "--repo DIR (the vaelab checkout holding data/mnist-digits)"
            raise CheckError(f"{f}: no such file ({hint})")
    images = read_idx(images_file, 0x00000803)
    labels = read_idx(labels_file, 0x00000801)
    images = images.reshape(images.shape[0], -1)
    source_hash = hashlib.sha256((sha256(images_file) + sha256(labels_file)).encode("ascii")).hexdigest()
    if dataset == "fashion-mnist":
        return images, source_hash  # the authors' split, file order
    # mnist-digits: per class k, the first floor(4·n_k/5) images in file order are train, the rest test; then the
    # classes are interleaved (first of class 0, of class 1, …, second of class 0, …), skipping exhausted classes.
    by_class = []
    for k in range(10):
        idx = np.flatnonzero(labels == k)
        by_class.append(idx[len(idx) * 4 // 5:])
    order = [c[r] for r in range(max(len(c) for c in by_class)) for c in by_class if r < len(c)]
    return images[np.array(order)], source_hash


def test_targets(config, repo, fashion_dir, data_sha):
    """The reconstruction targets the run was scored on (float32 n×D), and a one-line description."""
    data = config["data"]
    dataset, limit, binarization = data["dataset"], int(data["testLimit"]), data["binarization"]
    images, source_hash = load_test_set(dataset, repo, fashion_dir)
    recorded = [v for k, v in data_sha.items() if k.startswith(dataset + "/test")]
    if recorded and recorded[0] != source_hash:
        raise CheckError(f"the {dataset} files here (SHA-256 {source_hash}) are not those the run used "
                         f"({recorded[0]}, provenance.json dataSha256)")
    if limit > 0:
        images = images[:limit]
    pixels = images.astype(np.float32) / np.float32(255)  # byte / 255f, as IdxReader
    what = f"{dataset}/test, {len(images)} images" + (f" (testLimit {limit})" if limit > 0 else "")
    if binarization == "NONE":
        return pixels, what + ", continuous targets"
    if binarization not in ("STATIC", "DYNAMIC"):
        raise CheckError(f"unknown binarization '{binarization}' in provenance.json")
    u = next_floats(STATIC_SEED, pixels.size).reshape(pixels.shape)
    return (u < pixels).astype(np.float32), (what + f", {binarization.lower()} binarisation: test set binarised once, "
                                                    f"pixel by pixel, with SplittableRandom({STATIC_SEED})")


# ---------------------------------------------------------------------------------------------- model

def expected_arrays(arch):
    """Array name -> shape, as README.md "Model files" documents, from the architecture in provenance.json."""
    shapes = {}
    prev = arch["inputDim"]
    for i, h in enumerate(arch["encoderHidden"]):
        shapes[f"enc.{i}.W"], shapes[f"enc.{i}.b"] = (prev, h), (h,)
        prev = h
    d = arch["latentDim"]
    for head in ("mu", "logvar"):
        shapes[f"enc.{head}.W"], shapes[f"enc.{head}.b"] = (prev, d), (d,)
    prev = d
    for i, h in enumerate(arch["decoderHidden"]):
        shapes[f"dec.{i}.W"], shapes[f"dec.{i}.b"] = (prev, h), (h,)
        prev = h
    shapes["dec.out.W"], shapes["dec.out.b"] = (prev, arch["inputDim"]), (arch["inputDim"],)
    if arch["likelihood"] == "GAUSSIAN":
        shapes["dec.log_sigma"] = ()
    return shapes


def load_model(path, shapes):
    """The arrays of model.npz as float64, each checked to be float32 of the expected shape."""
    if not path.is_file():
        raise CheckError(f"{path}: no such file (runs finished before model files existed have none; re-run them)")
    try:
        npz = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise CheckError(f"{path}: not a readable .npz archive, the file is truncated or corrupt ({e})") from None
    if not hasattr(npz, "files"):
        raise CheckError(f"{path}: a single .npy array, not an .npz archive of named arrays")
    names = set(npz.files)
    arrays = {}
    with npz:
        for name, shape in shapes.items():
            want = f"float32 array of shape {shape}"
            if name not in names:
                raise CheckError(f"{path}: array '{name}' is missing; expected a {want}")
            try:
                a = npz[name]
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
                raise CheckError(f"{path}: array '{name}' cannot be read ({e}); expected a {want}") from None
            if a.shape != shape:
                raise CheckError(f"{path}: array '{name}' has shape {a.shape}; expected {shape}")
            if a.dtype != np.float32:
                raise CheckError(f"{path}: array '{name}' has dtype {a.dtype}; expected float32")
            arrays[name] = a.astype(np.float64)
        extra = sorted(names - set(shapes))
        if extra:
            raise CheckError(f"{path}: unexpected arrays {extra}; this architecture has only {list(shapes)}")
    return arrays


def check_activations(model_section, arch):
    """The activations provenance.json's model section records must be those this script applies."""
    hidden = arch["activation"].lower()
    want = {}
    for i in range(len(arch["encoderHidden"])):
        want[f"enc.{i}"] = hidden
    want["enc.mu"] = want["enc.logvar"] = "linear"
    for i in range(len(arch["decoderHidden"])):
        want[f"dec.{i}"] = hidden
    want["dec.out"] = "sigmoid" if arch["likelihood"] == "GAUSSIAN" else "logits"
    got = {layer["name"]: layer["activation"] for layer in model_section.get("layers", [])}
    if got != want:
        raise CheckError(f"provenance.json model.layers activations {got} differ from the architecture's {want}")


def dense(x, w, b, activation):
    h = x @ w + b
    if activation == "RELU":
        return np.maximum(h, 0)
    if activation == "TANH":
        return np.tanh(h)
    return h


def encode(m, arch, x):
    h = x
    for i in range(len(arch["encoderHidden"])):
        h = dense(h, m[f"enc.{i}.W"], m[f"enc.{i}.b"], arch["activation"])
    return h @ m["enc.mu.W"] + m["enc.mu.b"], h @ m["enc.logvar.W"] + m["enc.logvar.b"]


def rec_per_image(m, arch, x, z):
    """-log p(x|z) per image, in nats (docs/theory.md: summed over pixels)."""
    h = z
    for i in range(len(arch["decoderHidden"])):
        h = dense(h, m[f"dec.{i}.W"], m[f"dec.{i}.b"], arch["activation"])
    logits = h @ m["dec.out.W"] + m["dec.out.b"]
    if arch["likelihood"] == "BERNOULLI":
        # binary cross-entropy in its stable form: relu(l) - x·l + log1p(exp(-|l|))
        return (np.maximum(logits, 0) - x * logits + np.log1p(np.exp(-np.abs(logits)))).sum(axis=1)
    sigma = math.exp(float(m["dec.log_sigma"]))
    mean = 1 / (1 + np.exp(-logits))
    return ((x - mean) ** 2).sum(axis=1) / (2 * sigma ** 2) + 0.5 * x.shape[1] * math.log(2 * math.pi * sigma ** 2)


# ---------------------------------------------------------------------------------------------- run files

def read_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckError(f"{path}: no such file; is this a run folder (reports/<experiment>/runs/<run-id>)?") from None
    except ValueError as e:
        raise CheckError(f"{path}: not valid JSON ({e})") from None


def read_metrics(path):
    try:
        with path.open(newline="") as f:
            rows = {r["metric"]: float(r["value"]) for r in csv.DictReader(f)}
    except FileNotFoundError:
        raise CheckError(f"{path}: no such file") from None
    except (KeyError, ValueError) as e:
        raise CheckError(f"{path}: not a metric,value table ({e})") from None
    for key in ("model/elbo", "model/rec", "model/kl"):
        if key not in rows:
            raise CheckError(f"{path}: no row '{key}'")
    return rows


def read_posterior(path, n, d):
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", skiprows=1, ndmin=2)
    if table.shape != (n, 2 * d):
        raise CheckError(f"{path}: {table.shape[0]} rows × {table.shape[1]} columns; expected {n} × {2 * d}")
    return table[:, :d], table[:, d:]


# ---------------------------------------------------------------------------------------------- main

def check(run_dir, repo=REPO, fashion_dir=FASHION_DIR, seed=0, out=sys.stdout):
    """Prints the comparison; returns True if every number is within its tolerance."""
    prov = read_json(run_dir / "provenance.json")
    metrics = read_metrics(run_dir / "metrics.csv")
    config = prov.get("config", {})
    arch = config.get("model")
    if not arch:
        raise CheckError(f"{run_dir / 'provenance.json'}: no config.model (architecture)")
    section = prov.get("model")
    if not section:
        raise CheckError(f"{run_dir / 'provenance.json'}: no 'model' section; the run predates model files, re-run it")
    check_activations(section, arch)
    shapes = expected_arrays(arch)
    m = load_model(run_dir / section.get("file", "model.npz"), shapes)
    if arch["likelihood"] == "GAUSSIAN" and not math.isclose(math.exp(float(m["dec.log_sigma"])), arch["sigma"], rel_tol=1e-6):
        raise CheckError(f"model.npz: dec.log_sigma gives sigma {math.exp(float(m['dec.log_sigma']))}, "
                         f"provenance.json says {arch['sigma']}")
    x, what = test_targets(config, repo, fashion_dir, prov.get("dataSha256", {}))
    n = x.shape[0]
    x = x.astype(np.float64)

    print(f"run        {run_dir}", file=out)
    hidden = "-".join(str(h) for h in [arch["inputDim"], *arch["encoderHidden"], arch["latentDim"]])
    print(f"model      {section.get('file', 'model.npz')}: {len(m)} arrays, {sum(a.size for a in m.values()):,} numbers; "
          f"{hidden} {arch['activation'].lower()}, {arch['likelihood'].lower()} decoder", file=out)
    print(f"test data  {what}", file=out)

    ok = True
    mu, logvar = encode(m, arch, x)
    posterior = run_dir / "posterior.csv.gz"
    if posterior.is_file():
        mu_run, lv_run = read_posterior(posterior, n, arch["latentDim"])
        dmu = np.abs(mu - mu_run) / np.maximum(1, np.abs(mu_run))
        dlv = np.abs(logvar - lv_run) / np.maximum(1, np.abs(lv_run))
        good = max(dmu.max(), dlv.max()) <= POSTERIOR_RELATIVE
        ok &= bool(good)
        print(f"posterior  vs posterior.csv.gz: max |Δμ| {dmu.max():.1e}, max |Δlog σ²| {dlv.max():.1e} "
              f"(relative to max(1, |value|); tolerance {POSTERIOR_RELATIVE:g}) {'OK' if good else 'MISMATCH'}", file=out)

    kl_i = 0.5 * (mu ** 2 + np.exp(logvar) - logvar - 1).sum(axis=1)
    rng = np.random.default_rng(seed)
    std = np.exp(0.5 * logvar)
    r1 = rec_per_image(m, arch, x, mu + std * rng.standard_normal(mu.shape))
    r2 = rec_per_image(m, arch, x, mu + std * rng.standard_normal(mu.shape))
    rec, kl = r1.mean(), kl_i.mean()
    tol_rec = SIGMA_UNITS * math.sqrt(((r1 - r2) ** 2).sum()) / n
    tol_kl = KL_RELATIVE * max(1.0, abs(kl))
    rows = [("model/elbo", -(rec + kl), tol_rec + tol_kl), ("model/rec", rec, tol_rec), ("model/kl", kl, tol_kl)]

    print("", file=out)
    print(f"{'metric':<12}{'run':>14}{'recomputed':>14}{'difference':>13}{'tolerance':>12}", file=out)
    for key, value, tol in rows:
        diff = value - metrics[key]
        good = abs(diff) <= tol
        ok &= good
        print(f"{key:<12}{metrics[key]:>14.4f}{value:>14.4f}{diff:>+13.3g}{tol:>12.3g}  {'OK' if good else 'MISMATCH'}",
              file=out)
    print("", file=out)
    print(f"Rec: one posterior sample per image with fresh noise (numpy seed {seed}); tolerance = "
          f"{SIGMA_UNITS:g} standard errors of the difference of two such estimates on the same images, "
          f"SE = sqrt(sum (r1 - r2)^2) / n from a second sample per image. KL: analytic, tolerance "
          f"{KL_RELATIVE:g}·max(1, |KL|) for float32 arithmetic. ELBO = -(Rec + KL): the sum of both.", file=out)
    print("all numbers agree within tolerance" if ok else "MISMATCH: see the rows marked above", file=out)
    return ok


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog="Exit code 0: all agree; 1: a number is outside its tolerance; 2: bad input.")
    p.add_argument("run_dir", type=Path, help="a run folder, e.g. reports/quickstart/runs/beta-1-seed1")
    p.add_argument("--repo", type=Path, default=REPO, help="vaelab checkout holding data/mnist-digits (default: %(default)s)")
    p.add_argument("--fashion-dir", type=Path, default=FASHION_DIR,
                   help="folder with the Fashion-MNIST IDX files (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed of the fresh posterior noise (default: %(default)s)")
    args = p.parse_args(argv)
    try:
        return 0 if check(args.run_dir, args.repo, args.fashion_dir, args.seed) else 1
    except CheckError as e:
        print(f"check_model: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
