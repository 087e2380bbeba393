package dev.hypr.controller.store.sqlite;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One stored object. The key is assigned ("VM/web"), never generated: no identity column. */
@Entity
@Table(name = "objects")
public class ObjectRow {
    @Id
    @Column(name = "object_key", nullable = false)
    public String key;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String uid;

    @Column(name = "resource_version", nullable = false)
    public long resourceVersion;

    /** The whole object as JSON: spec and status are schema-less to the store. */
    @Column(nullable = false, columnDefinition = "TEXT")
    public String body;
}
