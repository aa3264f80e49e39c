package dev.latchkey.delivery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void refusesAnUnknownChannel() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DeliveryChannelsConfigSource("sms,fax"));
        assertEquals("LATCHKEY_DELIVERY_CHANNELS must be sms, email or sms,email, not 'sms,fax'", e.getMessage());
    }
}
