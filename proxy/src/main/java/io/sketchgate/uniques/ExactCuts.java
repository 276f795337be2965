package io.sketchgate.uniques;

/**
 * How a question with exact edges ({@link io.sketchgate.config.EdgeReads#EXACT}) reads the cuts of stored granules,
 * each way tried when the one before cannot answer exactly, cheapest first.
 */
enum ExactCuts {
    /**
     * Each cut, to the millisecond, from the granule it splits: its values' first and last events ({@link
     * ValueMinutes} with their milliseconds), or its registers per minute ({@link StepCuts}) with their events'
     * milliseconds; without those (a document written before them) the split minute is left uncertain, only where
     * the count is an estimate anyway and that minute moves it by less than the sketches' standard error ({@link
     * CountBuilder#splitMinutesTooWide}).
     */
    STORED,
    /**
     * The whole minutes of each cut from the granule, the seconds of a cut off the minute from the source. Not tried
     * for a count that a cut's registers kept from being exact: its whole minutes would be registers again.
     */
    WHOLE_MINUTES_STORED,
    /** Each cut from the source. */
    SOURCE;

    /** The next way to try; the source is the last. */
    ExactCuts next() {
        return this == STORED ? WHOLE_MINUTES_STORED : SOURCE;
    }
}
