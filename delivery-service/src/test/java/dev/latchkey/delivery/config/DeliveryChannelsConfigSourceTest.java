package dev.latchkey.delivery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeliveryChannelsConfigSourceTest {

    @Test
    void bothChannelsByDefault() {
        var source = new DeliveryChannelsConfigSource(null);
        assertEquals("true", source.getValue("mp.messaging.incoming.sms.enabled"));
        assertEquals("true", source.getValue("mp.messaging.incoming.email-retry.enabled"));
    }

    @Test
    void oneChannelTurnsTheOtherOffWithItsRetryTopic() {
        var sms = new DeliveryChannelsConfigSource(" sms ");
        assertEquals("true", sms.getValue("mp.messaging.incoming.sms.enabled"));
        assertEquals("true", sms.getValue("mp.messaging.incoming.sms-retry.enabled"));
        assertEquals("false", sms.getValue("mp.messaging.incoming.email.enabled"));
        assertEquals("false", sms.getValue("mp.messaging.incoming.email-retry.enabled"));
        var email = new DeliveryChannelsConfigSource("email");
        assertEquals("false", email.getValue("mp.messaging.incoming.sms.enabled"));
        assertEquals("true", email.getValue("mp.messaging.incoming.email.enabled"));
    }

    @Test
    void anInstanceIdMakesEachConsumerAStaticMemberOfItsGroup() {
        var source = new DeliveryChannelsConfigSource("sms,email", "delivery-sms-7f9c4-x2kqp");
        assertEquals("delivery-sms-7f9c4-x2kqp-sms", source.getValue("mp.messaging.incoming.sms.group.instance.id"));
        assertEquals("delivery-sms-7f9c4-x2kqp-sms-retry",
                source.getValue("mp.messaging.incoming.sms-retry.group.instance.id"));
        assertEquals("delivery-sms-7f9c4-x2kqp-email-retry",
                source.getValue("mp.messaging.incoming.email-retry.group.instance.id"));
        // Without one (the default), membership stays dynamic: no two processes can share a name by accident.
        assertNull(
                new DeliveryChannelsConfigSource("sms", " ").getValue("mp.messaging.incoming.sms.group.instance.id"));
        assertNull(new DeliveryChannelsConfigSource(null).getValue("mp.messaging.incoming.sms.group.instance.id"));
    }

    @Test
    void refusesAnUnknownChannel() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DeliveryChannelsConfigSource("sms,fax"));
        assertEquals("LATCHKEY_DELIVERY_CHANNELS must be sms, email or sms,email, not 'sms,fax'", e.getMessage());
    }
}
