package io.latentnlp.annotator.corenlp;

import java.nio.file.Path;

/** Access to {@link TinyModels} from other test packages. */
public final class TinyModelsAccess {

    private TinyModelsAccess() {}

    public static Path bernoulli() throws Exception {
        return TinyModels.bernoulli();
    }
}
