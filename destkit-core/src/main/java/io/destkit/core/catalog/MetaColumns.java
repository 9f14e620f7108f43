package io.destkit.core.catalog;

import java.util.List;

/** The columns every final table has before the user's columns, in this order. */
public final class MetaColumns {
  public static final String RAW_ID = "_airbyte_raw_id";
  public static final String EXTRACTED_AT = "_airbyte_extracted_at";
  public static final String META = "_airbyte_meta";
  public static final String GENERATION_ID = "_airbyte_generation_id";
  /** The single column of a stream whose schema declares no properties. */
  public static final String DATA = "_airbyte_data";
  /** A column of raw tables only ({@link TableCatalog#buildRaw}): when the record was typed, here never. */
  public static final String LOADED_AT = "_airbyte_loaded_at";

  /**
   * A helper column of the kit's dedupe queries (each version's rank within its key); never a
   * table's column.
   */
  public static final String ROW_NUMBER = "_airbyte_row_number";

  public static final List<String> ALL = List.of(RAW_ID, EXTRACTED_AT, META, GENERATION_ID);

  /** Names a user column never takes: the meta columns and the helper columns of the kit's queries. */
  public static final List<String> RESERVED = List.of(RAW_ID, EXTRACTED_AT, META, GENERATION_ID, ROW_NUMBER);

  private MetaColumns() {}
}
