/**
 * Stacked training: K dense nets of one shape (a sweep's cells that differ only in seed, data order or
 * hyperparameters) trained as one ND4J computation, weights stacked as [K, nIn, nOut], one batched matrix product per
 * layer, per-cell hyperparameters as broadcast columns. ND4J's fixed cost per op is then paid once per step for all K
 * cells instead of once per cell. Each cell computes what {@code gdlab.reference} computes for it.
 */
package gdlab.stacked;
