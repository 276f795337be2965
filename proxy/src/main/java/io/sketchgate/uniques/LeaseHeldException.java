package io.sketchgate.uniques;

import java.util.List;

/** Another process holds a definition's {@link JobLease}: its job is running there, nothing is wrong here. */
public final class LeaseHeldException extends UniqueCountException {
    private static final long serialVersionUID = 1L;
    private final String holder;

    LeaseHeldException(String holder, List<String> problems) {
        super(problems);
        this.holder = holder;
    }

    /** The holder and when its lease expires, as stored in the lease document. */
    public String holder() {
        return holder;
    }
}
