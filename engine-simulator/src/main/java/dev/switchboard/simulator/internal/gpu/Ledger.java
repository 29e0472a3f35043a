package dev.switchboard.simulator.internal.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Simulated GPUs shared by every simulator pointed at one directory.
 *
 * <p>{@code DIR/gpus.csv} lists the GPUs, a line each: {@code index, uuid, name, memory.total MiB} and optionally a
 * fifth column, the MiB the driver reserves. {@code DIR/claims/<pid>} holds what one process holds, a line per GPU:
 * {@code index, MiB, process name}. Claims of processes that are no longer alive do not count.
 */
public final class Ledger {

    private static final String GPUS = "gpus.csv";
    private static final String CLAIMS = "claims";
    private static final String LOCK = "ledger.lock";

    private final Path dir;

    private Ledger(Path dir) {
        this.dir = dir;
    }

    public static Ledger at(Path dir) {
        return new Ledger(dir);
    }

    /** The GPUs in {@code gpus.csv}, in file order. */
    public List<Gpu> gpus() {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : lines(dir.resolve(GPUS))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split("\\s*,\\s*");
            if (cells.length < 4) {
                throw new IllegalStateException("bad line in " + dir.resolve(GPUS) + ": " + line);
            }
            gpus.add(new Gpu(
                    Integer.parseInt(cells[0]),
                    cells[1],
                    cells[2],
                    mebibytes(cells[3]),
                    cells.length > 4 ? mebibytes(cells[4]) : 0));
        }
        return gpus;
    }

    /** The claims of live processes, by pid in ascending order. */
    public TreeMap<Long, List<ProcessClaim>> liveClaims() {
        TreeMap<Long, List<ProcessClaim>> claims = new TreeMap<>();
        for (Path file : claimFiles()) {
            long pid = Long.parseLong(file.getFileName().toString());
            if (isAlive(pid)) {
                claims.put(pid, readClaims(file));
            }
        }
        return claims;
    }

    /** MiB held on {@code gpu} by live processes. */
    public long usedMib(Gpu gpu) {
        return liveClaims().values().stream()
                .flatMap(List::stream)
                .filter(claim -> claim.gpuIndex() == gpu.index())
                .mapToLong(ProcessClaim::mib)
                .sum();
    }

    /**
     * Records that {@code pid} holds {@code claims}, unless some GPU lacks the free memory; checking and writing
     * happen under a file lock, so two simulators starting together cannot both take the last free memory.
     */
    public synchronized Optional<Shortfall> claim(long pid, String processName, List<GpuClaim> claims) {
        try (FileChannel channel =
                FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // held until the channel closes
            channel.lock();
            Optional<Shortfall> shortfall = shortfall(pid, claims);
            if (shortfall.isEmpty()) {
                write(pid, processName, claims);
            }
            return shortfall;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets what {@code pid} holds. */
    public synchronized void release(long pid) {
        try {
            Files.deleteIfExists(claimsDir().resolve(Long.toString(pid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Shortfall> shortfall(long pid, List<GpuClaim> claims) {
        List<Gpu> gpus = gpus();
        TreeMap<Long, List<ProcessClaim>> others = liveClaims();
        others.remove(pid);
        for (GpuClaim claim : claims) {
            Gpu gpu = gpus.stream()
                    .filter(candidate -> candidate.index() == claim.gpuIndex())
                    .findFirst()
                    .orElseThrow();
            long used = others.values().stream()
                    .flatMap(List::stream)
                    .filter(other -> other.gpuIndex() == gpu.index())
                    .mapToLong(ProcessClaim::mib)
                    .sum();
            long free = gpu.totalMib() - gpu.reservedMib() - used;
            if (claim.mib() > free) {
                return Optional.of(new Shortfall(gpu, claim.mib(), free));
            }
        }
        return Optional.empty();
    }

    private void write(long pid, String processName, List<GpuClaim> claims) throws IOException {
        Path claimsDir = Files.createDirectories(claimsDir());
        StringBuilder text = new StringBuilder();
        for (GpuClaim claim : claims) {
            text.append(claim.gpuIndex())
                    .append(", ")
                    .append(claim.mib())
                    .append(", ")
                    .append(processName)
                    .append('\n');
        }
        Path target = claimsDir.resolve(Long.toString(pid));
        Path temp = claimsDir.resolve(pid + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private List<ProcessClaim> readClaims(Path file) {
        List<ProcessClaim> claims = new ArrayList<>();
        for (String line : lines(file)) {
            String[] cells = line.strip().split("\\s*,\\s*", 3);
            if (cells.length == 3) {
                claims.add(new ProcessClaim(Integer.parseInt(cells[0]), Long.parseLong(cells[1]), cells[2]));
            }
        }
        return claims;
    }

    private List<Path> claimFiles() {
        try (Stream<Path> files = Files.list(claimsDir())) {
            return files.filter(file -> file.getFileName().toString().matches("\\d+"))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path claimsDir() {
        return dir.resolve(CLAIMS);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            // a claim file removed between listing and reading belongs to a process that just let go
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mebibytes(String cell) {
        return Long.parseLong(cell.replace("MiB", "").strip());
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A claim as read back, with the name of the process that holds it. */
    public record ProcessClaim(int gpuIndex, long mib, String processName) {}
}
