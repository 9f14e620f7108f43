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

  public static final List<String> ALL = List.of(RAW_ID, EXTRACTED_AT, META, GENERATION_ID);

  private MetaColumns() {}
}
