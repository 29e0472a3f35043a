package dev.switchboard.core.lifecycle;

/**
 * How the models of one group share the gateway, as llama-swap's groups do.
 *
 * @param swap at most one model of the group runs at a time: starting one stops the others
 * @param exclusive starting a model of the group stops the models of every other group, except
 *     persistent ones (and models in no group)
 * @param persistent other groups' exclusive starts never stop this group's models
 */
public record GroupPolicy(boolean swap, boolean exclusive, boolean persistent) {

    /** llama-swap's defaults, and its implicit group of ungrouped models: swap, exclusive. */
    public static final GroupPolicy LLAMA_SWAP_DEFAULT = new GroupPolicy(true, true, false);
}
