"""Group speaker embeddings into speakers, finding how many there are unless told."""
from __future__ import annotations

import numpy as np

MAX_POINTS = 2000  # AHC is quadratic: longer recordings build the tree on a sample


def _sample(x: np.ndarray) -> np.ndarray:
    """At most MAX_POINTS embeddings, evenly spread over the recording, so every part of it
    (and every speaker who talks for more than a few windows) is represented."""
    return x[np.linspace(0, len(x) - 1, MAX_POINTS).astype(int)]


def _normalised_means(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    means = np.stack([x[labels == k].mean(axis=0) for k in np.unique(labels)])
    return means / np.linalg.norm(means, axis=1, keepdims=True)


def centroids(x: np.ndarray, speakers: int | None, min_speakers: int, max_speakers: int,
              threshold: float, min_share: float) -> np.ndarray:
    """(K, dim) unit speaker centroids of unit embeddings `x` (one per local speaker).

    Complete-linkage agglomerative clustering on cosine distance, cut at `threshold`
    unless `speakers` is given, with the count held within [min_speakers, max_speakers].
    Clusters holding under `min_share` of the embeddings are outliers (a cough, a chair,
    crosstalk), not people: they are folded into their nearest cluster while the count
    stays at or above the minimum. Memory is bounded: the tree is built on at most
    MAX_POINTS embeddings, never on an N x N matrix of all of them."""
    from scipy.cluster.hierarchy import fcluster, linkage

    points = _sample(x) if len(x) > MAX_POINTS else x
    if len(points) < 2:
        return _normalised_means(x, np.zeros(len(x), dtype=int))
    # complete linkage: two groups are one voice only if all their embeddings are close,
    # so a far-field voice is not chained into a near one through the windows between
    tree = linkage(points, method="complete", metric="cosine")
    low, high = (speakers, speakers) if speakers else (min_speakers, max_speakers)
    labels = fcluster(tree, t=threshold, criterion="distance")
    count = len(np.unique(labels))
    forced = speakers is not None or not low <= count <= high
    if forced:
        labels = fcluster(tree, t=min(max(count, low), high), criterion="maxclust")
    means = _normalised_means(points, labels)
    while len(means) > max(low, 1):
        share = np.bincount((x @ means.T).argmax(axis=1), minlength=len(means)) / len(x)
        smallest = int(share.argmin())
        if share[smallest] >= min_share:
            break
        means = np.delete(means, smallest, axis=0)
    return _refine(points, len(means)) if forced and len(means) > 1 else means


def _refine(points: np.ndarray, k: int, restarts: int = 10) -> np.ndarray:
    """A count given or forced by the limits cuts the tree where it would not cut itself,
    often splitting off a handful of odd embeddings instead of a voice that then wins no
    frames; k-means with that count divides the voices so all k are heard. The best of
    `restarts` seeded k-means++ runs, as scikit-learn does; SciPy's k-means is used because
    importing scikit-learn alone took 1.6 s."""
    from scipy.cluster.vq import ClusterError, kmeans2

    best, best_inertia = None, np.inf
    for seed in range(restarts):
        try:
            centres, labels = kmeans2(points, k, iter=30, minit="++", missing="raise", seed=seed)
        except ClusterError:  # a cluster emptied: this start is no good
            continue
        inertia = float(np.square(points - centres[labels]).sum())
        if inertia < best_inertia:
            best, best_inertia = labels, inertia
    if best is None:
        return _normalised_means(points, np.zeros(len(points), dtype=int))
    return _normalised_means(points, best)
