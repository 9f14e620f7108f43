package io.destkit.core.catalog;

import io.destkit.core.typing.AirbyteType;

/**
 * A user column of a final table.
 *
 * @param sourceName the field name in the record's data ({@code null} for the whole-record column of
 *     a schemaless stream)
 * @param name the column's identifier in the database
 */
public record ColumnDef(String sourceName, String name, AirbyteType type, boolean nullable) {}
