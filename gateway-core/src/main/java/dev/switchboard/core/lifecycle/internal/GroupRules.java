package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.lifecycle.GroupPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** llama-swap's group rules: which running models must stop before a model of a group starts. */
final class GroupRules {
    private final Map<String, GroupPolicy> groups;

    GroupRules(Map<String, GroupPolicy> groups) {
        this.groups = Map.copyOf(groups);
    }

    /**
     * The running models the candidate's group policy says must stop before it starts: the rest of
     * its group when the group swaps, every other non-persistent model when it is exclusive.
     */
    List<ModelLifecycle> conflicts(ModelLifecycle candidate, Collection<ModelLifecycle> all) {
        String group = candidate.model().group();
        GroupPolicy policy = group == null ? null : groups.get(group);
        if (policy == null) {
            return List.of();
        }
        List<ModelLifecycle> conflicts = new ArrayList<>();
        for (ModelLifecycle other : all) {
            if (other == candidate || !other.state().holdsEngine()) {
                continue;
            }
            String otherGroup = other.model().group();
            boolean sameGroup = group.equals(otherGroup);
            GroupPolicy otherPolicy = otherGroup == null ? null : groups.get(otherGroup);
            if (sameGroup ? policy.swap() : policy.exclusive() && (otherPolicy == null || !otherPolicy.persistent())) {
                conflicts.add(other);
            }
        }
        return conflicts;
    }
}
