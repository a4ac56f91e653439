package dev.kubetest.core.api;

/** The types of watch events, as the watch protocol names them. */
public enum WatchEventType { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
