package dev.hypr.controller.store.sqlite;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of the change log that watches resume from; the revision is the key. */
@Entity
@Table(name = "changes")
public class ChangeRow {
    @Id
    @Column(name = "revision", nullable = false)
    public long revision;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false, columnDefinition = "TEXT")
    public String body;
}
