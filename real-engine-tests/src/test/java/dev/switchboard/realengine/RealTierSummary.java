package dev.switchboard.realengine;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says in the build log how many tests ran against the real llama-server: every test of this
 * module starts the real binary, as a Switchboard child or as llama.cpp's own router.
 */
public final class RealTierSummary implements TestExecutionListener {

    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
            (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? passed : failed).incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        int ran = passed.get() + failed.get();
        if (ran > 0) {
            System.out.printf(
                    "real-engine tier: %d tests ran against the real llama-server %s: %d passed, %d failed%n",
                    ran, RealLlamaServer.binary(), passed.get(), failed.get());
        }
    }
}
