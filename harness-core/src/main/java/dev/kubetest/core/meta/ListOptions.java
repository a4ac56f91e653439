package dev.kubetest.core.meta;

/**
 * Options of a list or watch, as in the query string: selectors in text form, paging, and resourceVersion.
 * Null fields mean "not given".
 */
public record ListOptions(String labelSelector, String fieldSelector, Long limit, String continueToken,
                          String resourceVersion, String resourceVersionMatch, boolean allowWatchBookmarks,
                          Boolean sendInitialEvents, Long timeoutSeconds) {

    public static ListOptions all() {
        return new ListOptions(null, null, null, null, null, null, false, null, null);
    }

    public static ListOptions labels(String labelSelector) {
        return new ListOptions(labelSelector, null, null, null, null, null, false, null, null);
    }

    public ListOptions withResourceVersion(String rv) {
        return new ListOptions(labelSelector, fieldSelector, limit, continueToken, rv, resourceVersionMatch,
                allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
    }

    public ListOptions withFieldSelector(String selector) {
        return new ListOptions(labelSelector, selector, limit, continueToken, resourceVersion, resourceVersionMatch,
                allowWatchBookmarks, sendInitialEvents, timeoutSeconds);
    }
}
