package com.example.shop;

import dev.weft.Weft;

/** Asks twice for one price and prints how many times the source was reached. */
public final class Main {

  private Main() {}

  /** @param args ignored */
  public static void main(String[] args) {
    PriceService prices = new PriceService();
    long first = prices.price("kb-01");
    long second = prices.price("kb-01");
    System.out.println("prices: " + first + " " + second);
    System.out.println("source calls: " + prices.sourceCalls());
    Weft.global().close();
  }
}
