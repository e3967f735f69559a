package com.example.shop;

import dev.weft.Weft;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Asks the PriceService bean twice for one price and prints how many times the source was
 * reached, and the name the price method's parameter has at run time.
 */
@SpringBootApplication
public class ShopApplication {

  /** @param args passed to Spring Boot */
  public static void main(String[] args) {
    int exitCode = SpringApplication.exit(SpringApplication.run(ShopApplication.class, args));
    Weft.global().close();
    System.exit(exitCode);
  }

  @Bean
  CommandLineRunner askTwice(PriceService prices) {
    return args -> {
      long first = prices.price("kb-01");
      long second = prices.price("kb-01");
      System.out.println("prices: " + first + " " + second);
      System.out.println("source calls: " + prices.sourceCalls());
      System.out.println(
          "parameter name: "
              + PriceService.class.getMethod("price", String.class).getParameters()[0].getName());
    };
  }
}
