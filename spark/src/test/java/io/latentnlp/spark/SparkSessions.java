package io.latentnlp.spark;

import org.apache.spark.sql.SparkSession;

/** The local[2] session of a test class: small, no UI, few shuffle partitions. */
final class SparkSessions {

    private SparkSessions() {}

    static SparkSession local2(String name) {
        return SparkSession.builder().master("local[2]").appName(name).config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
