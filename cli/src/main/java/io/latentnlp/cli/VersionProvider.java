package io.latentnlp.cli;

import picocli.CommandLine;

/** Reports the launcher version from the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = LatentNlp.class.getPackage().getImplementationVersion();
        return new String[] {"latent-nlp " + (v == null ? "(development build)" : v), "Java " + System.getProperty("java.version")};
    }
}
