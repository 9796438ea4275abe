"""Maps the tests build themselves, shaped like MindManager's own saves.

``rich_map_xml`` carries what a lossless writer must keep: styles, an image in ``bin/``,
a custom icon, relationships, floating topics and callouts, notes, task info, text
labels, topic properties and add-in data (``cor:Custom``) in a foreign namespace.
``write_web_app_archive`` adds the 4-byte ``MJHI`` extra field that the MindManager web
app writes into every local and central header.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

AP = "http://schemas.mindjet.com/MindManager/Application/2003"
COR = "http://schemas.mindjet.com/MindManager/Core/2003"
PRI = "http://schemas.mindjet.com/MindManager/Primitive/2003"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DIRTY = 'Dirty="0000000000000001"'
GEN = 'Gen="0000000000000000"'

OIDS = {
    "map": "qXBv1CZxS0e8o0f2ZcQ0ag==",
    "central": "c2VudHJhbFRvcGljMDAwMQ==",
    "leads": "bGVhZHNCcmFuY2gwMDAwMQ==",
    "ada": "YWRhTG92ZWxhY2UwMDAwMQ==",
    "call": "Y2FsbEFib3V0UmVuZXdhbA==",
    "grace": "Z3JhY2VIb3BwZXIwMDAwMQ==",
    "ideas": "aWRlYXNCcmFuY2gwMDAwMQ==",
    "idea": "aWRlYVRvcGljMDAwMDAwMQ==",
    "floating": "ZmxvYXRpbmdUb3BpYzAwMQ==",
    "callout": "Y2FsbG91dFRvcGljMDAwMQ==",
    "relationship": "cmVsYXRpb25zaGlwMDAwMQ==",
    "label": "cmVsYXRpb25MYWJlbDAwMQ==",
    "image": "aW1hZ2VPYmplY3QwMDAwMQ==",
    "boundary": "Ym91bmRhcnlPYmplY3QwMQ==",
}
IMAGE_MEMBER = "bin/4D3B1E0A-9C6B-4E5F-8A7D-2B1C0D9E8F7A.bin"
ICON_MEMBER = "ico/0A1B2C3D-0000-0000-0000-000000000000.ico"
ARCHIVE_COMMENT = b"23.0.169"
BROKEN_DATE_PROPERTY = (
    '<ap:CustomProperty CustomPropertyName="Broken date"><ap:CustomPropertyValue '
    'Format="urn:mindjet:Date" Type="urn:mindjet:DateTime" DateTime="0NaN-NaN-NaNT00:00:00"/>'
    "</ap:CustomProperty>"
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _topic(oid: str, text: str, inner: str = "", after_text: str = "") -> str:
    return (
        f'<ap:Topic {DIRTY} OId="{OIDS[oid]}" {GEN}>{inner}<ap:TopicViewGroup ViewIndex="0"/>'
        f'<ap:Text {DIRTY} PlainText="{text}" ReadOnly="false"><ap:Font/></ap:Text>'
        f"{after_text}</ap:Topic>"
    )


def rich_map_xml(web_app_date: bool = False) -> bytes:
    """Return Document.xml of a map that uses most of what MindManager writes.

    ``web_app_date`` adds the invalid empty date the web app writes, which the XSD rejects.
    """
    ada_extras = (
        f'<ap:NotesGroup><ap:NotesXhtmlData {DIRTY} PreviewPlainText="Met at the fair.&lt;br&gt;Wants a demo.">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><p><b>Met</b> at the fair.</p>'
        "<p>Wants a demo.</p></html></ap:NotesXhtmlData></ap:NotesGroup>"
        f'<ap:IconsGroup><ap:Icons {DIRTY}><ap:Icon xsi:type="ap:StockIcon" IconType="urn:mindjet:FlagRed"/>'
        '<ap:Icon xsi:type="ap:CustomIcon" IconSignature="Q+b4AQAAAAAAAAAAAAAAAA=="/></ap:Icons>'
        f'<ap:CustomIconImageData Index="0" {DIRTY} IconSignature="Q+b4AQAAAAAAAAAAAAAAAA==" '
        'ImageType="urn:mindjet:IconImage" CustomImageType="">'
        f'<cor:Uri xsi:nil="false">mmarch://{ICON_MEMBER}</cor:Uri></ap:CustomIconImageData></ap:IconsGroup>'
        f'<ap:Hyperlink {DIRTY} Url="https://example.com/ada" Title="Ada" TitleAutoCreated="false"/>'
        f'<ap:TextLabels {DIRTY}><ap:TextLabel TextLabelName="hot"/><ap:TextLabel TextLabelName="partner"/></ap:TextLabels>'
        "<ap:BusinessDataGroup>"
        f'<ap:BusinessData {DIRTY} BusinessDataType="urn:mindjet:CustomProperties" '
        'Uri="http://www.mindjet.com/MindManager/BusinessTypeCoreCustomProperties/2004"/>'
        f"<ap:CustomPropertiesBusinessData {DIRTY}><ap:CustomPropertyGroup>"
        '<ap:CustomProperty CustomPropertyUri="urn:uuid:11111111-2222-3333-4444-555555555555" '
        'CustomPropertyName="Email" Basic="true"><ap:CustomPropertyValue Format="urn:mindjet:Text" '
        'Type="urn:mindjet:Text" Text="ada@example.com"/></ap:CustomProperty>'
        '<ap:CustomProperty CustomPropertyUri="urn:uuid:22222222-2222-3333-4444-555555555555" '
        'CustomPropertyName="Phone"><ap:CustomPropertyValue Format="urn:mindjet:MaskedField" '
        'Type="urn:mindjet:Text" Text="+1 415-555-0100"><ap:MaskedFieldFormat Mask="+0 000-000-0000"/>'
        "</ap:CustomPropertyValue></ap:CustomProperty>"
        '<ap:CustomProperty CustomPropertyName="Deal size"><ap:CustomPropertyValue '
        'Format="urn:mindjet:Currency" Type="urn:mindjet:Number" Number="1250.5"/></ap:CustomProperty>'
        '<ap:CustomProperty CustomPropertyName="Seats"><ap:CustomPropertyValue '
        'Format="urn:mindjet:Integer" Type="urn:mindjet:Integer" Integer="12"/></ap:CustomProperty>'
        '<ap:CustomProperty CustomPropertyName="Signed"><ap:CustomPropertyValue '
        'Format="urn:mindjet:Boolean" Type="urn:mindjet:Integer" Integer="1"/></ap:CustomProperty>'
        '<ap:CustomProperty CustomPropertyName="First contact"><ap:CustomPropertyValue '
        'Format="urn:mindjet:Date" Type="urn:mindjet:DateTime" DateTime="2024-03-01T00:00:00"/>'
        "</ap:CustomProperty>"
        "{broken_date}"
        "</ap:CustomPropertyGroup></ap:CustomPropertiesBusinessData></ap:BusinessDataGroup>"
    )
    ada_extras = ada_extras.replace("{broken_date}", BROKEN_DATE_PROPERTY if web_app_date else "")
    image = (
        f'<ap:OneImage><ap:Image Dirty="0000000000000000" OId="{OIDS["image"]}" {GEN}>'
        '<ap:ImageData Dirty="0000000000000000" ImageType="urn:mindjet:PngImage">'
        f'<cor:Uri xsi:nil="false">mmarch://{IMAGE_MEMBER}</cor:Uri></ap:ImageData>'
        '<ap:ImageSize Dirty="0000000000000000" Width="14.000000" Height="14.000000"/></ap:Image></ap:OneImage>'
    )
    boundary = (
        f'<ap:OneBoundary><ap:Boundary Dirty="0000000000000000" OId="{OIDS["boundary"]}" {GEN}>'
        '<ap:BoundaryViewGroup ViewIndex="0"/></ap:Boundary></ap:OneBoundary>'
    )
    task = (
        f'<ap:Task {DIRTY} TaskPriority="urn:mindjet:Prio2" TaskPercentage="100" '
        'StartDate="2024-05-01T08:00:00" DeadlineDate="2024-05-03T17:00:00" '
        'Resources="Ada Lovelace, Sales team" ResourcesLoad="100.000000,50.000000" '
        'TaskPriorityReadOnly="false" GeneralCost="0." TotalCost="0."/>'
    )
    addin = (
        '<cor:Custom Index="0" Dirty="0000000000000001" Uri="urn:example:crm-addin" '
        'crm:ContactId="c-42" crm:Synced="2024-05-01" xmlns:crm="urn:example:crm-addin">'
        '<crm:History><crm:Entry At="2024-04-30">imported</crm:Entry></crm:History></cor:Custom>'
    )
    call = _topic("call", "Call about renewal", after_text=task)
    ada = _topic(
        "ada",
        "Ada Lovelace",
        inner=addin + f"<ap:SubTopics>{call}</ap:SubTopics>" + image,
        after_text='<ap:Color Dirty="0000000000000000" FillColor="ffabe595"/>' + ada_extras,
    )
    grace = _topic("grace", "Grace Hopper&#xA;(Navy)")
    leads = _topic("leads", "Leads", inner=f"<ap:SubTopics>{ada}{grace}</ap:SubTopics>" + boundary)
    callout_shape = '<ap:CalloutFloatingTopicShape Dirty="0000000000000000"/>'
    callout = _topic("callout", "Check budget", after_text=callout_shape)
    idea = _topic(
        "idea", "Webinar series", inner=f"<ap:FloatingTopics>{callout}</ap:FloatingTopics>"
    )
    ideas = _topic("ideas", "Ideas", inner=f"<ap:SubTopics>{idea}</ap:SubTopics>")
    floating = _topic("floating", "Parking lot")
    central = _topic(
        "central",
        "Sales pipeline",
        inner=(
            '<cor:Custom Index="0" Dirty="0000000000000001" Uri="http://schemas.iaresearch.com/PTMAddin" '
            'cst0:Calendar="0111110" cst0:WorkHours="8.000000" xmlns:cst0="http://schemas.iaresearch.com/PTMAddin"/>'
            f"<ap:SubTopics>{leads}{ideas}</ap:SubTopics><ap:FloatingTopics>{floating}</ap:FloatingTopics>"
        ),
    )
    relationship = (
        f'<ap:Relationships><ap:Relationship {DIRTY} OId="{OIDS["relationship"]}" {GEN}>'
        f'<ap:ConnectionGroup Index="0"><ap:Connection {DIRTY} CX="1.5" CY="0.000000">'
        f'<ap:ObjectReference OIdRef="{OIDS["grace"]}"/></ap:Connection></ap:ConnectionGroup>'
        f'<ap:ConnectionGroup Index="1"><ap:Connection {DIRTY} CX="-1.5" CY="0.000000">'
        f'<ap:ObjectReference OIdRef="{OIDS["idea"]}"/></ap:Connection></ap:ConnectionGroup>'
        f"<ap:FloatingTopics>{_topic('label', 'referred by')}</ap:FloatingTopics>"
        '<ap:RelationshipViewGroup ViewIndex="0"/></ap:Relationship></ap:Relationships>'
    )
    style = (
        '<ap:StyleGroup><ap:RootTopicDefaultsGroup><ap:DefaultColor Dirty="0000000000000000" '
        'FillColor="ff1a5a9e" LineColor="ff1a5a9e"/></ap:RootTopicDefaultsGroup></ap:StyleGroup>'
        f'<ap:MapViewGroup ViewIndex="0" RowIndex="0" ColumnIndex="0"><ap:Selection {DIRTY}><ap:ObjectReference OIdRef="{OIDS["grace"]}"/>'
        "</ap:Selection></ap:MapViewGroup>"
        '<ap:MarkersSetGroup><ap:TextLabelMarkers><ap:TextLabelMarker Dirty="0000000000000001" '
        f'OId="bWFya2VyT25lMDAwMDAwMQ==" {GEN}><ap:Name {DIRTY} Name="hot"/></ap:TextLabelMarker>'
        "</ap:TextLabelMarkers></ap:MarkersSetGroup>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n'
        '<?xml-client name="MindManager" version="23.0.169" platform="Windows"?>\r\n'
        f'<ap:Map {DIRTY} OId="{OIDS["map"]}" {GEN} xmlns:ap="{AP}" xmlns:cor="{COR}" '
        f'xmlns:pri="{PRI}" xmlns:xsi="{XSI}" xsi:schemaLocation="{AP} {AP}">'
        '<cor:Custom Index="0" Dirty="0000000000000000" Uri="http://schemas.mindjet.com/MindManager/UpdateCompatibility/2004" '
        'cst0:UpdatedCategories="true" xmlns:cst0="http://schemas.mindjet.com/MindManager/UpdateCompatibility/2004"/>'
        f"<ap:OneTopic>{central}</ap:OneTopic>{relationship}{style}</ap:Map>"
    )
    return document.encode("utf-8")


def write_rich_map(path: Path, document: bytes | None = None) -> Path:
    """Write a desktop-style .mmap: several members, mixed compression, a comment."""
    document = document if document is not None else rich_map_xml()
    with zipfile.ZipFile(path, "w") as archive:
        archive.comment = ARCHIVE_COMMENT
        _add(archive, IMAGE_MEMBER, PNG_BYTES, zipfile.ZIP_STORED, (2024, 4, 30, 9, 15, 0))
        _add(archive, "Document.xml", document, zipfile.ZIP_DEFLATED, (2024, 5, 1, 10, 0, 0))
        _add(archive, "xsd/", b"", zipfile.ZIP_STORED, (2024, 5, 1, 10, 0, 0))
        _add(
            archive,
            ICON_MEMBER,
            b"\x00\x00\x01\x00" * 40,
            zipfile.ZIP_DEFLATED,
            (2022, 1, 2, 3, 4, 6),
        )
        _add(archive, "Preview.png", PNG_BYTES, zipfile.ZIP_DEFLATED, (2024, 5, 1, 10, 0, 2))
    return path


def _add(
    archive: zipfile.ZipFile, name: str, data: bytes, method: int, date_time: tuple[int, ...]
) -> None:
    info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
    info.compress_type = method
    info.comment = f"mmarch://{name}".encode()
    archive.writestr(info, data)


def write_web_app_archive(path: Path, members: dict[str, bytes], comment: bytes) -> Path:
    """Write an archive whose every header carries the web app's 4-byte MJHI extra field."""
    extra = b"MJHI"
    local = bytearray()
    central = bytearray()
    for name, data in members.items():
        raw_name = name.encode()
        compressed = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = compressed.compress(data) + compressed.flush()
        crc = zlib.crc32(data)
        offset = len(local)
        local += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            8,
            0x6000,
            0x5821,
            crc,
            len(body),
            len(data),
            len(raw_name),
            len(extra),
        )
        local += raw_name + extra + body
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0x6000,
            0x5821,
            crc,
            len(body),
            len(data),
            len(raw_name),
            len(extra),
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw_name + extra
    end = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        len(members),
        len(members),
        len(central),
        len(local),
        len(comment),
    )
    path.write_bytes(bytes(local + central + end + comment))
    return path
