package dev.kubetest.core.api;

/** Options of create, update and patch: dry run, field manager and field validation. */
public record WriteOptions(boolean dryRun, String fieldManager, String fieldValidation, boolean force) {
    public static WriteOptions defaults() {
        return new WriteOptions(false, null, null, false);
    }

    public static WriteOptions manager(String fieldManager) {
        return new WriteOptions(false, fieldManager, null, false);
    }
}
