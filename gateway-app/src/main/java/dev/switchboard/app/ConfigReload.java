package dev.switchboard.app;

import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.ConfigLoader;
import dev.switchboard.core.Gateway;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file on {@code SIGHUP} or {@code POST /api/config/reload} and applies
 * its models (see {@link Gateway#redeclare}): only models whose declaration changed restart, removed
 * ones unload, added ones appear. A file that does not read is rejected with its file, line and key,
 * and the configuration in force keeps serving. The server, scheduler, GPU and backend sections take
 * effect at the next start.
 */
final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final Path file;
    private final ConfigLoader loader;
    private final Gateway gateway;
    private final ReentrantLock reloading = new ReentrantLock();

    ConfigReload(Path file, ConfigLoader loader, Gateway gateway) {
        this.file = file;
        this.loader = loader;
        this.gateway = gateway;
    }

    /**
     * Reads the file again and applies its models; one reload at a time.
     *
     * @throws ConfigException when the file is invalid; nothing changed then
     */
    Gateway.ModelChanges reload() {
        // a lock rather than synchronized: reloading reads files, which would pin a virtual
        // thread's carrier on Java 21
        reloading.lock();
        try {
            return reloadNow();
        } finally {
            reloading.unlock();
        }
    }

    private Gateway.ModelChanges reloadNow() {
        Gateway.ModelChanges changes;
        try {
            AppConfig config = loader.load(file);
            config.warnings().forEach(log::warn);
            changes = gateway.redeclare(config.gateway().models());
        } catch (ConfigException e) {
            log.warn("configuration reload rejected; the configuration in force keeps serving: {}", e.getMessage());
            throw e;
        } catch (IllegalArgumentException e) {
            ConfigException rejected = new ConfigException(file.toString(), 0, "models", e.getMessage());
            log.warn(
                    "configuration reload rejected; the configuration in force keeps serving: {}",
                    rejected.getMessage());
            throw rejected;
        }
        log.info(
                "configuration reloaded from {}: added {}, changed {}, removed {}",
                file,
                changes.added(),
                changes.changed(),
                changes.removed());
        return changes;
    }
}
