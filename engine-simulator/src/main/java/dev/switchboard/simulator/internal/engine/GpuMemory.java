package dev.switchboard.simulator.internal.engine;

import dev.switchboard.simulator.internal.gpu.GpuClaim;
import dev.switchboard.simulator.internal.gpu.Ledger;
import dev.switchboard.simulator.internal.gpu.Shortfall;
import java.util.List;
import java.util.Optional;

/** The GPU memory this process's model occupies in the simulated-GPU ledger, if there is one. */
public final class GpuMemory {

    private static final long PID = ProcessHandle.current().pid();

    private final Optional<Ledger> ledger;
    private final String processName;
    private final List<GpuClaim> claims;

    public GpuMemory(Optional<Ledger> ledger, String processName, List<GpuClaim> claims) {
        this.ledger = ledger;
        this.processName = processName;
        this.claims = List.copyOf(claims);
    }

    /** Takes the memory, or reports the GPU where it does not fit and takes nothing. */
    public Optional<Shortfall> occupy() {
        return ledger.flatMap(it -> it.claim(PID, processName, claims));
    }

    /** Gives the memory back. */
    public void release() {
        ledger.ifPresent(it -> it.release(PID));
    }
}
