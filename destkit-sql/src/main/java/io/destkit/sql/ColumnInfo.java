package io.destkit.sql;

/** A column of an existing table as the database describes it. */
public record ColumnInfo(String name, String type, boolean nullable) {}
