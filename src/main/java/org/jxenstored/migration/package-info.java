/**
 * Xen's xenstore migration stream ({@code docs/designs/xenstore-migration.md}): the format in which C xenstored
 * hands its whole state to its successor at a live update ({@code $XENSTORED_RUNDIR/state_dump}), and in which
 * jxenstored keeps its crash-restart snapshot.
 *
 * <p>{@link org.jxenstored.migration.MigrationRecord} and its records model every record of versions 1 and 2;
 * {@link org.jxenstored.migration.MigrationWriter} writes a stream record by record and
 * {@link org.jxenstored.migration.MigrationReader} reads and validates one record by record (neither holds the
 * stream in memory); {@link org.jxenstored.migration.C417Compatibility} tells whether C xenstored 4.17 can restore
 * a stream. Nothing here knows the store, the server or Xen: mapping records to and from the daemon's state is the
 * caller's job. The format as implemented, and C's quirks: {@code docs/migration-stream.md}.
 */
package org.jxenstored.migration;
