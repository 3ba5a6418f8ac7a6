#!/usr/bin/env python3
"""The `bench` experiment's reference model in PyTorch, for a same-machine comparison (speed issue, goal 2).

MLP VAE 784-512-256-32 / mirror, ReLU, Bernoulli decoder (continuous targets), batch 128, Adam 1e-3, on the
60,000 Fashion-MNIST training images from the Debian package, exactly as `mvn -q compile exec:java
-Dexperiment=bench` trains vaelab's engine. Prints lines in the bench's format:

  pytorch-train: X s/epoch, Y images/s (median of epochs 2..E, epoch 1 is warm-up)
  pytorch-iw-nll: Z s (K=1000, 1000 images)
  pytorch test ELBO after E epochs: ...

Run: python3 tools/bench_pytorch.py [epochs] [threads]   (needs python3-torch and python3-numpy; defaults 3, 2)
Run it alternately with the Java bench: this machine's speed drifts by ±25% within an hour.
"""
import gzip
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist/"


def images(name):
    with gzip.open(DATA + name, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=16).reshape(n, 784).astype(np.float32) / 255.0)


class Vae(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2, self.head = torch.nn.Linear(784, 512), torch.nn.Linear(512, 256), torch.nn.Linear(256, 64)
        self.d1, self.d2, self.out = torch.nn.Linear(32, 256), torch.nn.Linear(256, 512), torch.nn.Linear(512, 784)

    def encode(self, x):
        mu, logvar = self.head(F.relu(self.e2(F.relu(self.e1(x))))).chunk(2, dim=1)
        return mu, logvar

    def logits(self, z):
        return self.out(F.relu(self.d2(F.relu(self.d1(z)))))

    def neg_elbo(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        rec = F.binary_cross_entropy_with_logits(self.logits(z), x, reduction="none").sum(1)
        kl = 0.5 * (mu * mu + logvar.exp() - logvar - 1).sum(1)
        return (rec + kl).mean()


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    train, test = images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        for s in range(0, train.shape[0], 128):
            loss = model.neg_elbo(train[s:s + 128])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        seconds.append(time.perf_counter() - t0)
    per_epoch = statistics.median(seconds[1:])
    print(f"pytorch-train: {per_epoch:.2f} s/epoch, {train.shape[0] / per_epoch:.0f} images/s "
          f"(PyTorch {torch.__version__}, {threads} threads, median of {epochs - 1} epochs after 1 warm-up)")
    with torch.no_grad():
        elbo = -sum(model.neg_elbo(test[s:s + 1000]).item() * 1000 for s in range(0, 10000, 1000)) / 10000
        # Importance-weighted NLL, K = 1000 on the first 1,000 test images, 4 images (4,000 rows) per decoder call.
        k, n, per = 1000, 1000, 4
        t0 = time.perf_counter()
        nll = 0.0
        for i in range(0, n, per):
            x = test[i:i + per]
            mu, logvar = model.encode(x)
            sd = torch.exp(0.5 * logvar)
            eps = torch.randn(per, k, 32)
            z = mu[:, None, :] + sd[:, None, :] * eps
            rec = F.binary_cross_entropy_with_logits(model.logits(z.reshape(-1, 32)),
                                                     x.repeat_interleave(k, 0), reduction="none").sum(1).view(per, k)
            log_w = -rec - 0.5 * (z * z).sum(2) + 0.5 * (eps * eps).sum(2) + 0.5 * logvar.sum(1, keepdim=True)
            nll -= (torch.logsumexp(log_w, 1) - np.log(k)).sum().item()
        iw_seconds = time.perf_counter() - t0
    print(f"pytorch-iw-nll: {iw_seconds:.2f} s (K={k}, {n} images): {k * n / iw_seconds:.0f} decoder samples/s, "
          f"NLL {nll / n:.2f} nats")
    print(f"pytorch test ELBO after {epochs} epochs: {elbo:.2f} nats")


if __name__ == "__main__":
    main()
