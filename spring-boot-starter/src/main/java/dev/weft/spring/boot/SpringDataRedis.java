package dev.weft.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The part of {@code spring.data.redis.*} that says where Redis is and how to log in, bound from
 * the {@link Environment} with Spring's relaxed rules, so the same keys work on Spring Boot 3 and 4
 * whether or not Spring Data Redis is on the class path.
 */
public class SpringDataRedis {

  private String url;
  private String host = "localhost";
  private int port = 6379;
  private int database;
  private String username;
  private String password;
  private Duration timeout;
  private Duration connectTimeout;
  private final Ssl ssl = new Ssl();
  private final Sentinel sentinel = new Sentinel();
  private final Cluster cluster = new Cluster();

  /**
   * @param environment the application's environment, not {@code null}
   * @return {@code spring.data.redis.*}, with Spring Boot's defaults for what is not set
   */
  public static SpringDataRedis from(Environment environment) {
    return Binder.get(environment)
        .bind("spring.data.redis", Bindable.of(SpringDataRedis.class))
        .orElseGet(SpringDataRedis::new);
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public int getDatabase() {
    return database;
  }

  public void setDatabase(int database) {
    this.database = database;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Ssl getSsl() {
    return ssl;
  }

  public Sentinel getSentinel() {
    return sentinel;
  }

  public Cluster getCluster() {
    return cluster;
  }

  /** {@code spring.data.redis.ssl.*}. */
  public static class Ssl {
    private Boolean enabled;
    private String bundle;

    /** @return whether TLS is on: set, or implied by a bundle */
    public boolean on() {
      return enabled != null ? enabled : bundle != null;
    }

    public Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }

    public String getBundle() {
      return bundle;
    }

    public void setBundle(String bundle) {
      this.bundle = bundle;
    }
  }

  /** {@code spring.data.redis.sentinel.*}. */
  public static class Sentinel {
    private String master;
    private List<String> nodes = new ArrayList<>();
    private String username;
    private String password;

    public String getMaster() {
      return master;
    }

    public void setMaster(String master) {
      this.master = master;
    }

    public List<String> getNodes() {
      return nodes;
    }

    public void setNodes(List<String> nodes) {
      this.nodes = nodes;
    }

    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }
  }

  /** {@code spring.data.redis.cluster.*}. */
  public static class Cluster {
    private List<String> nodes = new ArrayList<>();

    public List<String> getNodes() {
      return nodes;
    }

    public void setNodes(List<String> nodes) {
      this.nodes = nodes;
    }
  }
}
