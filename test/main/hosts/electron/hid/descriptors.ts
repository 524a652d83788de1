/**
 * Report descriptors of telephony headsets, item by item (HID 1.11 §6.2.2). They follow the
 * layout USB headsets use for Microsoft Teams / UC certification: a Telephony Headset
 * application collection with an absolute Hook Switch, one-shot Phone Mute / Flash / Drop, and
 * LED-page lamps in an output report.
 */
export const numberedHeadset = Uint8Array.from([
  0x05, 0x0b, //       Usage Page (Telephony)
  0x09, 0x05, //       Usage (Headset)
  0xa1, 0x01, //       Collection (Application)
  0x85, 0x02, //         Report ID (2)
  0x15, 0x00, //         Logical Minimum (0)
  0x25, 0x01, //         Logical Maximum (1)
  0x09, 0x20, //         Usage (Hook Switch)
  0x09, 0x97, //         Usage (Line Busy Tone)
  0x75, 0x01, //         Report Size (1)
  0x95, 0x02, //         Report Count (2)
  0x81, 0x22, //         Input (Data, Variable, Absolute, No Preferred)
  0x09, 0x2f, //         Usage (Phone Mute)
  0x09, 0x21, //         Usage (Flash)
  0x09, 0x26, //         Usage (Drop)
  0x95, 0x03, //         Report Count (3)
  0x81, 0x06, //         Input (Data, Variable, Relative)
  0x95, 0x03, //         Report Count (3)
  0x81, 0x01, //         Input (Constant): padding to a byte
  0x05, 0x08, //         Usage Page (LEDs)
  0x09, 0x17, //         Usage (Off-Hook)
  0x09, 0x18, //         Usage (Ring)
  0x09, 0x09, //         Usage (Mute)
  0x09, 0x20, //         Usage (Hold)
  0x95, 0x04, //         Report Count (4)
  0x91, 0x22, //         Output (Data, Variable, Absolute, No Preferred)
  0x95, 0x0c, //         Report Count (12)
  0x91, 0x01, //         Output (Constant): padding to two bytes
  0x85, 0x03, //         Report ID (3): a vendor feature report, ignored
  0x06, 0x00, 0xff, //   Usage Page (Vendor 0xFF00)
  0x09, 0x01, //         Usage (1)
  0x75, 0x08, //         Report Size (8)
  0x95, 0x3f, //         Report Count (63)
  0xb1, 0x02, //         Feature (Data, Variable, Absolute)
  0xc0, //             End Collection
]);

/** No report IDs; buttons as an array field; a relative (toggle) Hook Switch; Push/Pop. */
export const arrayHeadset = Uint8Array.from([
  0x05, 0x0b, //       Usage Page (Telephony)
  0x09, 0x05, //       Usage (Headset)
  0xa1, 0x01, //       Collection (Application)
  0x15, 0x01, //         Logical Minimum (1)
  0x25, 0x03, //         Logical Maximum (3)
  0x09, 0x20, //         Usage (Hook Switch)
  0x09, 0x2f, //         Usage (Phone Mute)
  0x09, 0x26, //         Usage (Drop)
  0x75, 0x02, //         Report Size (2)
  0x95, 0x01, //         Report Count (1)
  0xa4, //               Push
  0x81, 0x04, //         Input (Data, Array, Relative)
  0x75, 0x06, //         Report Size (6)
  0x81, 0x01, //         Input (Constant)
  0xb4, //               Pop: report size 2 again
  0x15, 0x00, //         Logical Minimum (0)
  0x25, 0x01, //         Logical Maximum (1)
  0x75, 0x01, //         Report Size (1)
  0x95, 0x01, //         Report Count (1)
  0x0b, 0x18, 0x00, 0x08, 0x00, // Usage (LEDs: Ring), as an extended 32-bit usage
  0x91, 0x02, //         Output (Data, Variable, Absolute)
  0x95, 0x07, //         Report Count (7)
  0x91, 0x01, //         Output (Constant)
  0xc0, //             End Collection
]);

/** A mouse: no telephony controls. */
export const mouse = Uint8Array.from([
  0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x03, 0x81, 0x02, 0x95, 0x05, 0x81, 0x01,
  0xc0,
]);
