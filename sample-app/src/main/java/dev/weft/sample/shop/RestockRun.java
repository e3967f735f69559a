package dev.weft.sample.shop;

/**
 * What one run of the restock job did.
 *
 * @param products how many products were restocked
 * @param units how many units were added in all
 */
public record RestockRun(int products, int units) {}
