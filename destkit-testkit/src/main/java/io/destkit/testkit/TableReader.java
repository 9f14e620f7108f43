package io.destkit.testkit;

import io.destkit.core.catalog.TableName;
import java.util.List;

/**
 * The destination's tables as the behaviour suites read them, whatever stores them: a SQL database
 * ({@link TestDatabase}, over plain JDBC) or a table format read with its own library. Reads never
 * go through the code under test.
 *
 * <p>A row comes back as a {@link TableRow}: the meta columns typed, and each user column as text
 * in the form the kit's {@link ComparableRows#canonicalOfText} reads for the column's Airbyte type
 * (null when the value is null): an integer or number as its decimal digits, a boolean as {@code
 * true}/{@code false}, a date, time or timestamp in ISO-8601 (a timestamp with time zone with its
 * offset), a string as itself, and any JSON value (object, array, union, unknown) as its JSON text.
 */
public interface TableReader extends AutoCloseable {

  boolean namespaceExists(String namespace) throws Exception;

  boolean tableExists(TableName table) throws Exception;

  /** The names of the table's columns, meta columns included, in the table's order. */
  List<String> columnNames(TableName table) throws Exception;

  /** Every row of the table that readers see, in no particular order. */
  List<TableRow> rows(TableName table) throws Exception;
}
