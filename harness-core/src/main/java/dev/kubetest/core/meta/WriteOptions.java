package dev.kubetest.core.meta;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of create, update and patch: dry run, field manager, field validation ({@code Strict}, {@code Warn},
 * {@code Ignore}) and apply's force. {@code warnings} collects the warnings the write produces (the HTTP layer
 * returns them as {@code Warning} headers).
 */
public record WriteOptions(boolean dryRun, String fieldManager, String fieldValidation, boolean force, List<String> warnings) {

    public WriteOptions(boolean dryRun, String fieldManager, String fieldValidation, boolean force) {
        this(dryRun, fieldManager, fieldValidation, force, new ArrayList<>());
    }

    public static WriteOptions defaults() {
        return new WriteOptions(false, null, null, false);
    }

    public static WriteOptions manager(String fieldManager) {
        return new WriteOptions(false, fieldManager, null, false);
    }
}
