package dev.switchboard.core.placement;

import dev.switchboard.core.placement.internal.PlanSearch;

/**
 * Decides where a model starts and which idle models must stop to make room: a pure function of a
 * {@link PlanRequest}, safe to call from any thread.
 *
 * <h2>What a model needs</h2>
 *
 * <ul>
 *   <li>In CPU mode (no GPU) or with an unknown estimate ({@link
 *       dev.switchboard.core.spi.MemoryEstimate#none()}, not pinned) the model goes on the CPU and
 *       only {@code maxLoaded} applies. Pinned with an unknown estimate, it goes on its pinned GPUs
 *       and reserves nothing.
 *   <li>A fraction estimate takes {@code gpuFraction × total} on each of exactly {@code gpuCount}
 *       GPUs (1 when unset), as vLLM and SGLang do.
 *   <li>A byte estimate takes its weights, KV cache and overhead on one GPU. Split over several,
 *       each GPU carries its own overhead (compute buffers are per device) and the weights and KV
 *       cache are shared in proportion to the room each GPU has left, which is also the tensor
 *       split. With {@code gpuCount} set it uses exactly that many GPUs.
 *   <li>Pins name the GPUs a model uses, all of them.
 * </ul>
 *
 * <h2>The search</h2>
 *
 * Choosing GPUs and an eviction set is a covering knapsack (NP-hard in general); the planner uses
 * a greedy heuristic, bounded in time:
 *
 * <ol>
 *   <li>Idle models are ranked once, cheapest to lose first: lower {@code priority} first, then a
 *       lower expected reload cost, {@code reloadCost / age since lastUsed} (a model used {@code
 *       age} ago is expected back about once per {@code age}, which counts at least one second),
 *       then least recently used, then id. The reload cost is taken in coarse buckets (under 8 s,
 *       8 to 32 s, 32 to 128 s, each four times the last), so seconds of start-time jitter on a
 *       loaded machine cannot reorder models of similar cost. With equal priorities and reload
 *       costs in one bucket this is exactly least recently used, as llama.cpp's router evicts
 *       under {@code --models-max}.
 *       Busy models are never ranked, so never evicted.
 *   <li>For each candidate GPU set, fewest GPUs first, the ranked models are walked in order and
 *       taken when {@code maxLoaded} still needs a slot or when they free memory the set still
 *       lacks. Then, dearest first, any taken model that is not needed after all is put back, so
 *       the set is minimal: no model in it could stay.
 *   <li>Among the sets of the smallest size that works, the one whose evictions cost least wins
 *       (highest priority evicted, then total expected cost, then count), then the best fit (least
 *       memory left over), then the lowest device indexes. A model is split only when no single
 *       GPU can hold it even after evictions: a split slows every token for the model's life, an
 *       eviction costs one reload, later, if ever.
 *   <li>If nothing works, the same question is asked with every model gone: if it then fits, only
 *       busy models are in the way ({@link PlanResult.NoFit.Kind#WAIT}); if not, it never will
 *       ({@link PlanResult.NoFit.Kind#NEVER}).
 * </ol>
 *
 * <p>Why this is good enough: ranking then pruning matches the intuitive answers (evict nothing
 * when possible, the least valuable idle model when one suffices, never more than needed) and only
 * a contrived mix of sizes could make a different set slightly cheaper. Why it is bounded: each GPU
 * set costs one pass over the ranked models and one pruning pass, {@code O(models × set size)}; at
 * most {@code 2^gpus - 1} sets exist, and the search stops at the first size that fits. With 8
 * GPUs and 50 models that is at most 255 × 50 × 8 steps, well under a millisecond. Beyond 1024
 * sets of one size (more than 12 GPUs), only the GPUs with the most room are tried for that size.
 */
public final class Planner {

    private Planner() {}

    /** Plans the start of {@code request.model()}. */
    public static PlanResult plan(PlanRequest request) {
        return PlanSearch.plan(request);
    }
}
