#!/usr/bin/env python3
"""Times one stochastic (B = 1) epoch of the digits in PyTorch eager, to set beside gdlab's in-sweep epoch.

The same work as batch-modes' stochastic cells: a 64-32-10 MLP (relu hidden, softmax + cross-entropy), float32,
plain SGD at lr 0.01, one update per training example (1438: 80% of the 1797 digits), examples in a shuffled
order each epoch; one thread. Prints the median ms per epoch and per update over a few epochs after a warm-up
epoch. Not part of gdlab's build or tests: it needs python3 with torch (Debian: apt-get install python3-torch,
then run it with /usr/bin/python3).

    /usr/bin/python3 scripts/pytorch-epoch.py [EPOCHS]
"""
import csv
import gzip
import os
import statistics
import sys
import time

import torch

DATA = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "data", "digits.csv.gz")


def load():
    with gzip.open(DATA, "rt") as f:
        rows = list(csv.reader(f))[1:]
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows], dtype=torch.float32)
    y = torch.tensor([int(r[-1]) for r in rows], dtype=torch.long)
    g = torch.Generator().manual_seed(42)
    order = torch.randperm(len(rows), generator=g)
    n_train = round(0.8 * len(rows))
    train = order[:n_train]
    x_train, y_train = x[train], y[train]
    mean, std = x_train.mean(0), x_train.std(0)
    std[std == 0] = 1
    return (x_train - mean) / std, y_train


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    torch.set_num_threads(1)
    torch.manual_seed(1)
    x, y = load()
    net = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    times = []
    for epoch in range(epochs + 1):
        order = torch.randperm(len(x))
        t0 = time.perf_counter()
        for i in order.tolist():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[i:i + 1]), y[i:i + 1])
            loss.backward()
            opt.step()
        elapsed = (time.perf_counter() - t0) * 1000
        if epoch > 0:   # the first epoch warms up
            times.append(elapsed)
    ms = statistics.median(times)
    print(f"pytorch {torch.__version__}, 1 thread, 64-32-10 relu float32, SGD B=1, {len(x)} updates per epoch")
    print(f"epoch_ms {ms:.1f}  ms_per_update {ms / len(x):.4f}  (median of {epochs} epochs after 1 warm-up)")


if __name__ == "__main__":
    main()
