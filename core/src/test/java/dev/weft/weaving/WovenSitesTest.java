package dev.weft.weaving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.annotation.Cached;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Woven#remembered}: plans kept per call-site object, a cache that never answers wrong. */
class WovenSitesTest {

  @Cached(key = "a:{0}", ttl = "1m")
  String a(String id) {
    return id;
  }

  @Test
  void aRememberedSite_answersItsPlan_andNoOtherObjectGetsIt() throws Exception {
    MethodPlan plan = Woven.plan(WovenSitesTest.class.getDeclaredMethod("a", String.class));
    Object site = null;
    // the table is shared by the whole JVM: find a site whose slot no live site holds
    for (int i = 0; i < 100_000 && site == null; i++) {
      Object candidate = new Object();
      assertThat(Woven.remembered(candidate)).isNull();
      assertThat(Woven.remember(candidate, plan)).isSameAs(plan);
      if (Woven.remembered(candidate) != null) {
        site = candidate;
      }
    }

    assertThat(site).as("a site with a free slot").isNotNull();
    assertThat(Woven.remembered(site)).isSameAs(plan);
    for (int i = 0; i < 10_000; i++) {
      assertThat(Woven.remembered(new Object())).as("an object never remembered").isNull();
    }
  }

  @Test
  void sitesThatShareASlot_theFirstKeepsIt_theOthersAreNeverAnsweredWrong() throws Exception {
    MethodPlan plan = Woven.plan(WovenSitesTest.class.getDeclaredMethod("a", String.class));
    List<Object> sites = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) { // more sites than slots: many share one
      Object site = new Object();
      sites.add(site);
      Woven.remember(site, plan);
    }
    int remembered = 0;
    for (Object site : sites) {
      MethodPlan found = Woven.remembered(site);
      if (found != null) {
        assertThat(found).isSameAs(plan);
        remembered++;
      }
    }
    assertThat(remembered).as("the first of each slot").isPositive().isLessThan(sites.size());
  }
}
