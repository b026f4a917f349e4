package org.jxenstored.domain;

/** How the domain layer treats dead domains. */
public final class DomainOptions {
    /** Keep the nodes a dead domain owned (handing them to Dom0) instead of deleting them: C's {@code -K}. */
    public boolean keepOrphans;
}
