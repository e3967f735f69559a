package dev.weft.sample.web;

import dev.weft.sample.shop.InventoryLine;
import dev.weft.sample.shop.Product;
import dev.weft.sample.shop.ProductSort;
import dev.weft.sample.shop.ProductUpdate;
import dev.weft.sample.shop.Shop;
import dev.weft.sample.shop.ShopAnalytics;
import dev.weft.sample.shop.StockLevel;
import dev.weft.sample.shop.UnknownProductException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shop's endpoints. Each one validates its input (a 4xx that says what is wrong), then calls
 * the Weft-annotated services of {@link Shop}; caching, locking and the per-user limit happen
 * there, not here.
 *
 * <pre>
 * GET    /products/{sku}                     product and stock; "Cache-Control: no-cache" reads the database
 * PUT    /products/{sku}                     {"name": ..., "priceCents": ...}
 * DELETE /products/{sku}                     discontinue
 * GET    /categories/{category}/products     ?sort=name|price
 * POST   /orders                             {"sku": ..., "quantity": ...}, with the session cookie
 * GET    /top?n=5                            best-selling products by units (a leaderboard)
 * GET    /stats?minutes=10                   orders, product views and distinct buyers per minute
 * GET    /inventory                          every product's stock ledger, from the database
 * </pre>
 *
 * <p>{@code /login} and {@code /logout} are {@link Login}'s.
 */
final class ShopApi {

  /** The most units one order may ask for. */
  static final int MAX_QUANTITY = 10;

  /** The most entries {@code /top} lists. */
  static final int MAX_TOP = 100;

  private static final Pattern SKU = Pattern.compile("[a-z0-9-]{1,32}");
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9-]{1,64}");
  private static final String ORDER_EXAMPLE = "{\"sku\": \"kb-01\", \"quantity\": 2}";
  private static final String UPDATE_EXAMPLE = "{\"name\": \"Keyboard\", \"priceCents\": 7900}";

  private final Shop shop;
  private final Login login;

  ShopApi(Shop shop, Login login) {
    this.shop = shop;
    this.login = login;
  }

  List<Route> routes() {
    return List.of(
        Route.api("GET", "/products/{sku}", this::product),
        Route.api("PUT", "/products/{sku}", this::update),
        Route.api("DELETE", "/products/{sku}", this::discontinue),
        Route.api("GET", "/categories/{category}/products", this::category),
        Route.api("POST", "/orders", this::order),
        Route.api("GET", "/top", this::top),
        Route.api("GET", "/stats", this::stats),
        Route.ops("GET", "/inventory", this::inventory));
  }

  private Response product(Request request) {
    String sku = sku(request);
    boolean bypass =
        request.header("Cache-Control").map(v -> v.toLowerCase(Locale.ROOT).contains("no-cache"))
            .orElse(false);
    Product product =
        (bypass ? shop.repository().product(sku) : shop.catalog().product(sku))
            .orElseThrow(() -> new UnknownProductException(sku));
    StockLevel stock =
        (bypass ? shop.repository().stock(sku) : shop.inventory().stock(sku))
            .orElseThrow(() -> new UnknownProductException(sku));
    shop.analytics().productViewed(sku);
    return Response.json(200, ProductView.of(product, stock.units()));
  }

  private Response update(Request request) {
    String sku = sku(request);
    ProductUpdate update = Json.read(request.body(), ProductUpdate.class, UPDATE_EXAMPLE);
    if (update.name() == null && update.priceCents() == null) {
      throw new ApiException(400, "nothing to change: give name or priceCents, as in " + UPDATE_EXAMPLE);
    }
    if (update.name() != null && (update.name().isBlank() || update.name().length() > 200)) {
      throw new ApiException(400, "name must be 1 to 200 characters, not blank");
    }
    if (update.priceCents() != null && update.priceCents() < 0) {
      throw new ApiException(400, "priceCents must be 0 or more, got " + update.priceCents());
    }
    return Response.json(200, shop.catalog().update(sku, update));
  }

  private Response discontinue(Request request) {
    return Response.json(200, shop.catalog().discontinue(sku(request)));
  }

  private Response category(Request request) {
    String category = request.param("category");
    String sortText = request.query("sort").orElse("name");
    ProductSort sort =
        ProductSort.parse(sortText)
            .orElseThrow(() -> new ApiException(400, "sort must be name or price, got '" + sortText + "'"));
    List<Product> products =
        CATEGORY.matcher(category).matches() ? shop.catalog().category(category, sort) : List.of();
    if (products.isEmpty()) {
      throw new ApiException(404, "no category '" + category + "'");
    }
    return Response.json(200, products);
  }

  private Response order(Request request) {
    String user = login.user(request);
    OrderRequest order = Json.read(request.body(), OrderRequest.class, ORDER_EXAMPLE);
    if (order.sku() == null) {
      throw new ApiException(400, "field 'sku' is missing, as in " + ORDER_EXAMPLE);
    }
    if (order.quantity() == null) {
      throw new ApiException(400, "field 'quantity' is missing, as in " + ORDER_EXAMPLE);
    }
    if (order.quantity() < 1 || order.quantity() > MAX_QUANTITY) {
      throw new ApiException(
          400, "quantity must be between 1 and " + MAX_QUANTITY + ", got " + order.quantity());
    }
    if (!SKU.matcher(order.sku()).matches() || shop.catalog().product(order.sku()).isEmpty()) {
      throw new UnknownProductException(order.sku());
    }
    return Response.json(201, shop.orders().place(user, order.sku(), order.quantity()));
  }

  private Response top(Request request) {
    int n = number(request, "n", 5, MAX_TOP);
    List<TopProduct> top =
        shop.analytics().bestSellers(n).stream()
            .map(e -> new TopProduct(e.rank(), e.member(), Math.round(e.score())))
            .toList();
    return Response.json(200, top);
  }

  private Response stats(Request request) {
    int minutes = number(request, "minutes", 10, ShopAnalytics.RETENTION_MINUTES);
    return Response.json(200, shop.analytics().stats(minutes));
  }

  private Response inventory(Request request) {
    List<InventoryLine> lines = shop.repository().inventory();
    return Response.json(200, new InventoryBody(lines.stream().allMatch(InventoryLine::balanced), lines));
  }

  /** A whole number from 1 to {@code max} in the query, or {@code otherwise} if absent. */
  private static int number(Request request, String name, int otherwise, int max) {
    String text = request.query(name).orElse(null);
    if (text == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, name + " must be a whole number from 1 to " + max + ", got '" + text + "'");
  }

  private static String sku(Request request) {
    String sku = request.param("sku");
    if (!SKU.matcher(sku).matches()) {
      throw new UnknownProductException(sku);
    }
    return sku;
  }

  /**
   * The body of {@code GET /inventory}.
   *
   * @param balanced whether every product's ledger adds up and no stock is negative
   * @param products every product's ledger
   */
  record InventoryBody(boolean balanced, List<InventoryLine> products) {}

  /**
   * One line of {@code GET /top}.
   *
   * @param rank 1 for the best seller; equal units rank by SKU
   * @param sku the product
   * @param units units ordered since the service started
   */
  record TopProduct(long rank, String sku, long units) {}
}
