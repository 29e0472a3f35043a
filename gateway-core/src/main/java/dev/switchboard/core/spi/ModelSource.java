package dev.switchboard.core.spi;

import java.io.IOException;
import java.util.List;

/**
 * Where models come from: a models directory, the Hugging Face cache, a preset file, configuration
 * entries, a remote upstream. Each call to {@link #scan()} reads the source afresh; the catalog
 * decides when to call it (at start and on {@code /models?reload=1}).
 */
public interface ModelSource {

    /** A short description for logs and errors, such as {@code models-dir /srv/models}. */
    String describe();

    /** Lists the models this source offers now. */
    List<ModelDescriptor> scan() throws IOException;
}
