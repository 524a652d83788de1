; Windows: make the softphone a handler for call links (sip:, sips:, tel:, callto:) without
; taking a scheme from another application. The installer registers a ProgID and declares it
; under Capabilities/URLAssociations, so the links show up in Settings > Default apps for the
; user to choose; the app itself claims a scheme at run time only when nothing handles it yet.
; `--` ends Chromium's switches, so nothing in a link can be read as one.
; Picked up by electron-builder from buildResources (assets/installer.nsh).

!define CALL_LINK_PROGID "Softphone.CallLink"
!define CALL_LINK_CAPABILITIES "Software\Softphone\Capabilities"

!macro registerCallLinkScheme SCHEME
  WriteRegStr SHELL_CONTEXT "${CALL_LINK_CAPABILITIES}\URLAssociations" "${SCHEME}" "${CALL_LINK_PROGID}"
!macroend

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CALL_LINK_PROGID}" "" "Softphone call link"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CALL_LINK_PROGID}" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CALL_LINK_PROGID}\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\${CALL_LINK_PROGID}\shell\open\command" "" '"$appExe" -- "%1"'
  WriteRegStr SHELL_CONTEXT "${CALL_LINK_CAPABILITIES}" "ApplicationName" "Softphone"
  WriteRegStr SHELL_CONTEXT "${CALL_LINK_CAPABILITIES}" "ApplicationDescription" "SIP softphone"
  !insertmacro registerCallLinkScheme "sip"
  !insertmacro registerCallLinkScheme "sips"
  !insertmacro registerCallLinkScheme "tel"
  !insertmacro registerCallLinkScheme "callto"
  WriteRegStr SHELL_CONTEXT "Software\RegisteredApplications" "Softphone" "${CALL_LINK_CAPABILITIES}"
!macroend

; A scheme the app claimed at run time (app.setAsDefaultProtocolClient) is removed only if it
; still opens this installation.
!macro unregisterCallLinkScheme SCHEME
  ReadRegStr $0 SHELL_CONTEXT "Software\Classes\${SCHEME}\shell\open\command" ""
  ${If} $0 == '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  ${OrIf} $0 == '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "--" "%1"'
    DeleteRegKey SHELL_CONTEXT "Software\Classes\${SCHEME}"
  ${EndIf}
!macroend

!macro customUnInstall
  !insertmacro unregisterCallLinkScheme "sip"
  !insertmacro unregisterCallLinkScheme "sips"
  !insertmacro unregisterCallLinkScheme "tel"
  !insertmacro unregisterCallLinkScheme "callto"
  DeleteRegValue SHELL_CONTEXT "Software\RegisteredApplications" "Softphone"
  DeleteRegKey SHELL_CONTEXT "Software\Softphone"
  DeleteRegKey SHELL_CONTEXT "Software\Classes\${CALL_LINK_PROGID}"
!macroend
