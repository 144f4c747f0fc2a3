package io.kelvin.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kelvin.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of the README's "Kafka ACLs", one binding per line of its script, for the security
 * integration tests: when the README changes, this changes with it.
 */
public final class DocumentedAcls {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private DocumentedAcls() {}

    /** The optimizer's, for {@code User:principal} running as {@code applicationId}, with the default topic names. */
    public static List<AclBinding> optimizer(String principal, String applicationId) {
        return application(principal, applicationId,
                List.of("kelvin.readings", "kelvin.buildings", "kelvin.models"),
                List.of("kelvin.setpoints", "kelvin.feedback", "kelvin.dead-letters"));
    }

    /** The trainer's, for {@code User:principal} running as {@code applicationId}, with the default topic names. */
    public static List<AclBinding> trainer(String principal, String applicationId) {
        return application(principal, applicationId,
                List.of("kelvin.feedback", "kelvin.buildings"),
                List.of("kelvin.models", "kelvin.training-reports", "kelvin.dead-letters"));
    }

    /**
     * What every principal needs on the Kafka-topic registry's topic ({@code kafka://} URLs): READ
     * and WRITE, and CREATE, because a registering client asks to create the topic and the broker
     * answers a principal without CREATE "not authorized" even when the topic exists.
     */
    public static List<AclBinding> kafkaTopicRegistry(String principal, String schemaTopic) {
        return List.of(
                allow(principal, AclOperation.READ, ResourceType.TOPIC, schemaTopic, PatternType.LITERAL),
                allow(principal, AclOperation.WRITE, ResourceType.TOPIC, schemaTopic, PatternType.LITERAL),
                allow(principal, AclOperation.CREATE, ResourceType.TOPIC, schemaTopic, PatternType.LITERAL));
    }

    private static List<AclBinding> application(String principal, String applicationId, List<String> reads, List<String> writes) {
        List<AclBinding> acls = new ArrayList<>();
        reads.forEach(topic -> acls.add(allow(principal, AclOperation.READ, ResourceType.TOPIC, topic, PatternType.LITERAL)));
        writes.forEach(topic -> acls.add(allow(principal, AclOperation.WRITE, ResourceType.TOPIC, topic, PatternType.LITERAL)));
        acls.add(allow(principal, AclOperation.ALL, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED));
        acls.add(allow(principal, AclOperation.READ, ResourceType.GROUP, applicationId, PatternType.PREFIXED));
        acls.add(allow(principal, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED));
        return acls;
    }

    /** ALLOW {@code operation} on the resource for {@code User:user} from any host. */
    public static AclBinding allow(String user, AclOperation operation, ResourceType type, String name, PatternType pattern) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /**
     * Creates the ACLs and returns once the broker's authorizer holds every one: they reach it
     * through its metadata, a moment after the controller stored them, and a client that came
     * sooner would be refused.
     */
    public static void grant(Admin admin, List<AclBinding> acls) throws Exception {
        admin.createAcls(acls).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        for (AclBinding acl : acls) {
            AclBindingFilter filter = new AclBindingFilter(
                    new ResourcePatternFilter(acl.pattern().resourceType(), acl.pattern().name(), acl.pattern().patternType()),
                    new AccessControlEntryFilter(acl.entry().principal(), null, acl.entry().operation(), AclPermissionType.ALLOW));
            int held = Await.until(WAIT, Duration.ofMillis(50),
                    () -> admin.describeAcls(filter).values().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).size(), n -> n > 0);
            assertThat(held).as("the broker holds " + acl).isPositive();
        }
    }
}
