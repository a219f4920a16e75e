package io.annexgate.service;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.protocol.Key;
import java.io.InputStream;

/**
 * One put: {@code dataLength} bytes of the key's content starting at {@code offset}, or with
 * {@code dataPresent} no bytes at all but the claim that the content already arrived another way.
 */
public record Upload(Key key, AnnexUuid client, long offset, long dataLength, boolean dataPresent, InputStream body) { }
